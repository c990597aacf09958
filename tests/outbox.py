"""Send one outgoing message now, in the test process, and say what became of it."""
from accounts.models import OutgoingMessage
from accounts.tasks import outgoing_message_batch_send


def send_outgoing_message(message_id: int) -> str:
    """"sent", "skipped", "failed", "already-sent" or "locked-or-missing", through the real
    task (run eagerly), so a second call shows that a message goes out once."""
    outcome = outgoing_message_batch_send.apply(args=[[message_id]]).get()
    for result in ("sent", "skipped", "failed"):
        if outcome[result]:
            return result
    already_sent = OutgoingMessage.objects.filter(
        pk=message_id, status=OutgoingMessage.Status.SENT).exists()
    return "already-sent" if already_sent else "locked-or-missing"
