from django.conf import settings


def portal(request):
    """What every page's layout needs: the video instruction (Q-14) and debug-only links."""
    return {
        "VIDEO_INSTRUCTION_URL": settings.QUEUE_VIDEO_INSTRUCTION_URL,
        "DEBUG": settings.DEBUG,
    }
