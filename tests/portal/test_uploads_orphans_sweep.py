"""Uploads: a private file no row names (its rows rolled back after ``files_removed_on_error`` had
finished, or the process died before the commit) is deleted by the nightly sweep once older than the
threshold; a file a row names is kept whatever its age, and a younger one may still be committed.

The rows are written by the benefits' real filing (a legal entity's registration document, B-5), as
the core's sweep finds the apps' document models without naming them."""

import datetime as dt
import logging
import os
import time
from pathlib import Path

import pytest
from celery import current_app
from django.core.files.base import ContentFile
from django.db import transaction

from benefits.models import ApplicationDocument
from benefits.services import funeral_application_file
from portal.beat import beat_schedule
from portal.tasks import private_uploads_orphans_sweep_task
from portal.uploads import (
    private_file_fields,
    private_storage,
    private_uploads_orphans_sweep,
    private_uploads_referenced,
)
from tests.benefits.conftest import DECEASED, died
from tests.benefits.helpers import PDF, at, stored_files, upload

pytestmark = pytest.mark.django_db
BIN = "040340000007"
DAY = dt.timedelta(hours=24)


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path) -> Path:
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    settings.STATEDATA_BACKEND = "demo"
    settings.STATEDATA_BACKENDS = {}
    return Path(settings.PRIVATE_MEDIA_ROOT)


class OuterFailure(Exception):
    """Something after the filing, in the same outer transaction, fails."""


def file_with_registration_document() -> ApplicationDocument:
    """A legal entity unknown to its database files the funeral payment with its registration document."""
    died(DECEASED, dt.date(2026, 1, 5))
    application = funeral_application_file(
        deceased_iin=DECEASED,
        channel="goscorp",
        applicant=None,
        applicant_bin=BIN,
        applicant_name="Ritual LLP",
        confirmed_by="staff",
        now=at(2026, 3, 10),
        documents={"burier_registration": upload(PDF)},
    )
    return application.documents.get()


def filed_then_rolled_back() -> None:
    with transaction.atomic():
        file_with_registration_document()
        raise OuterFailure


def modified_at(path: Path, moment: dt.datetime) -> None:
    os.utime(path, (moment.timestamp(), moment.timestamp()))


def test_uploads_a_file_whose_outer_transaction_rolled_back_is_left_on_disk_then_swept_once_a_day_old(private_root):
    # given: the filing's own block succeeds, then the transaction around it rolls back
    with pytest.raises(OuterFailure):
        filed_then_rolled_back()
    assert not ApplicationDocument.objects.exists()
    (orphan,) = stored_files(private_root)  # files_removed_on_error saw no error: the file stayed
    modified_at(orphan, at(2026, 3, 10, 10, 0))
    # when: swept 23 hours 59 minutes later, then 24 hours 1 minute later
    kept = private_uploads_orphans_sweep(older_than=DAY, now=at(2026, 3, 11, 9, 59))
    assert (kept, stored_files(private_root)) == (0, [orphan])
    deleted = private_uploads_orphans_sweep(older_than=DAY, now=at(2026, 3, 11, 10, 1))
    # then
    assert deleted == 1
    assert stored_files(private_root) == []


def test_uploads_a_file_a_saved_row_names_is_kept_whatever_its_age(private_root):
    document = file_with_registration_document()
    referenced = private_root / document.file.name
    modified_at(referenced, at(2020, 1, 1, 0, 0))
    orphan = private_root / private_storage().save("benefits/2020/01/scan.pdf", ContentFile(PDF))
    modified_at(orphan, at(2020, 1, 1, 0, 0))

    assert private_uploads_orphans_sweep(older_than=DAY, now=at(2026, 3, 11, 10, 0)) == 1
    assert stored_files(private_root) == [referenced]
    assert referenced.read_bytes() == PDF


def test_uploads_an_unreferenced_file_younger_than_the_threshold_is_kept(private_root):
    young = private_root / private_storage().save("benefits/2026/03/scan.pdf", ContentFile(PDF))
    modified_at(young, at(2026, 3, 10, 10, 0))

    assert private_uploads_orphans_sweep(older_than=DAY, now=at(2026, 3, 11, 9, 59)) == 0
    assert stored_files(private_root) == [young]


def test_uploads_the_sweep_finds_every_private_file_field_and_reads_one_query_per_model(
    private_root, django_assert_num_queries
):
    fields = {(model._meta.label, tuple(names)) for model, names in private_file_fields().items()}
    assert fields == {("benefits.ApplicationDocument", ("file",)), ("expert_registry.ApplicationDocument", ("file",))}
    first = file_with_registration_document()
    second = file_with_registration_document()
    with django_assert_num_queries(2):
        referenced = private_uploads_referenced()
    assert referenced == {first.file.name, second.file.name}


def test_uploads_the_sweep_logs_the_count_and_never_a_file_name(private_root, caplog):
    name = private_storage().save("benefits/2020/01/death_certificate.pdf", ContentFile(PDF))
    modified_at(private_root / name, at(2020, 1, 1, 0, 0))
    with caplog.at_level(logging.INFO, logger="portal.uploads"):
        assert private_uploads_orphans_sweep(older_than=DAY, now=at(2026, 3, 11, 10, 0)) == 1
    assert [r.getMessage() for r in caplog.records if r.name == "portal.uploads"] == [
        "private uploads sweep: 1 unreferenced files deleted"
    ]
    assert "death_certificate" not in caplog.text


def test_uploads_the_sweep_refuses_a_threshold_of_zero(private_root):
    private_storage().save("benefits/2026/03/scan.pdf", ContentFile(PDF))
    with pytest.raises(ValueError, match="must be positive"):
        private_uploads_orphans_sweep(older_than=dt.timedelta(0))
    assert len(stored_files(private_root)) == 1


def test_uploads_the_task_reads_the_threshold_from_the_setting_and_is_safe_to_repeat(private_root, settings):
    settings.UPLOAD_ORPHAN_AGE_HOURS = 48
    thirty_hours = private_root / private_storage().save("benefits/2026/03/a.pdf", ContentFile(PDF))
    fifty_hours = private_root / private_storage().save("benefits/2026/03/b.pdf", ContentFile(PDF))
    os.utime(thirty_hours, (time.time() - 30 * 3600, time.time() - 30 * 3600))
    os.utime(fifty_hours, (time.time() - 50 * 3600, time.time() - 50 * 3600))

    assert private_uploads_orphans_sweep_task() == 1
    assert private_uploads_orphans_sweep_task() == 0
    assert stored_files(private_root) == [thirty_hours]


def test_uploads_the_sweep_runs_every_night_at_03_50():
    task, cron, _why = beat_schedule()["portal: sweep orphaned uploads"]
    assert task == "portal.private_uploads_orphans_sweep"
    assert cron == {"minute": "50", "hour": "3"}
    assert "portal.private_uploads_orphans_sweep" in current_app.tasks
