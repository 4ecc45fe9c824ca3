"""An SMS gateway for tests that records what it is asked to send (set by CHIBO_SMS_GATEWAY;
a module of its own: pytest imports test modules under other names)."""


class RecordingGateway:
    sent: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> str:
        self.sent.append((phone, text))
        return f"m{len(self.sent)}"
