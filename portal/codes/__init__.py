"""One-time codes sent by SMS (the portal core): an abstract model and the two services that issue and
check a code. Each app keeps its own table with its own context (whom the code was sent to, what it
confirms) and its own limits and answers; the mechanics are here once."""
