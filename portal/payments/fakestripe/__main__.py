"""``python -m portal.payments.fakestripe [--port N]``: run the fake Stripe in the foreground."""

from __future__ import annotations

import argparse
import contextlib

from portal.config import FAKE_STRIPE_PORT
from portal.payments.fakestripe.server import FakeStripeServer


def main(argv: list[str] | None = None) -> None:
    """Parse arguments and serve until Ctrl-C."""
    parser = argparse.ArgumentParser(
        prog="python -m portal.payments.fakestripe", description=__doc__
    )
    parser.add_argument("--port", type=int, default=FAKE_STRIPE_PORT)
    parser.add_argument("--balance", type=int, default=1_000_000, help="available USD cents")
    parser.add_argument("--api-key", default=None, help="accept only this sk_test_ key")
    parser.add_argument("--webhook-url", default=None, help="POST platform events here")
    parser.add_argument("--webhook-secret", default=None, help="whsec_... used to sign them")
    parser.add_argument("--connect-webhook-url", default=None, help="POST Connect events here")
    parser.add_argument("--connect-webhook-secret", default=None, help="whsec_... for those")
    parser.add_argument("--platform-country", default="US", help="the platform's country")
    parser.add_argument("--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)
    server = FakeStripeServer(
        args.port,
        api_key=args.api_key,
        balance=args.balance,
        webhook_target=args.webhook_url,
        webhook_secret=args.webhook_secret,
        connect_webhook_target=args.connect_webhook_url,
        connect_webhook_secret=args.connect_webhook_secret,
        platform_country=args.platform_country,
        quiet=not args.verbose,
    )
    print(f"fakestripe listening on http://127.0.0.1:{args.port} (Ctrl-C to stop)", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()


if __name__ == "__main__":
    main()
