"""A backend-like process for the session drill: Reflex's state manager as the backend
builds it (REFLEX_REDIS_URL set: Redis), driving the real login handler for one tab.

`serve TAB`: logs in on the tab and types a draft (one event, saved), prints the browser's
session token, then starts a second event and stays inside it, holding the tab's lock, until
it is killed. `resume TAB SESSION_TOKEN`: what the next backend does when the browser
reconnects: loads the tab, sends the browser's token again, prints what it finds as JSON.
`survive TAB EMAIL PASSWORD DOCUMENT_ID`: one long-lived backend: logs in and types a draft,
prints "saved", waits for a line on stdin (Redis is restarted meanwhile), then serves the
same tab again on a new connection and prints what it finds, the saved sales draft included.
"""

from __future__ import annotations

import asyncio
import json
import sys
import time

from reflex.istate.manager import StateManager
from reflex.istate.manager.token import BaseStateToken
from reflex.state import State

import loggro_app.loggro_app  # noqa: F401  (registers every page state)
from loggro_app.state.auth import AuthState
from loggro_app.state.customers import CustomersState
from tests.integration.test_session_state import connect, log_in, sub

DRAFT = "Cliente a medio escribir"


async def serve(tab: str) -> None:
    manager = StateManager.create()
    print(type(manager).__name__, flush=True)
    token = BaseStateToken(ident=tab, cls=State)
    async with manager.modify_state(token) as root:
        connect(root, "sid-first-backend")
        await log_in(root)
        sub(root, CustomersState).name = DRAFT
        print(sub(root, AuthState).token, flush=True)
    async with manager.modify_state(token) as root:
        sub(root, CustomersState).name = "nunca guardado"  # the event in flight
        print("busy", flush=True)
        await asyncio.sleep(3600)


async def resume(tab: str, session_token: str) -> None:
    manager = StateManager.create()
    async with manager.modify_state(BaseStateToken(ident=tab, cls=State)) as root:
        connect(root, "sid-second-backend")
        auth = sub(root, AuthState)
        auth.token = session_token  # the browser's localStorage, sent on reconnect
        scope = await auth.scope()
        print(json.dumps({"manager": type(manager).__name__, "user_id": scope.user_id,
                          "email": auth.user_email,
                          "draft": sub(root, CustomersState).name}), flush=True)
    await manager.close()


async def survive(tab: str, email: str, password: str, document_id: int) -> None:
    from loggro_app.db import session_scope
    from loggro_app.services import sales

    manager = StateManager.create()
    token = BaseStateToken(ident=tab, cls=State)
    async with manager.modify_state(token) as root:
        connect(root, "sid-before")
        await log_in(root, email, password)
        sub(root, CustomersState).name = DRAFT
        session_token = sub(root, AuthState).token
    print("saved", flush=True)
    await asyncio.to_thread(sys.stdin.readline)
    asked = time.monotonic()
    async with manager.modify_state(token) as root:  # the browser reconnects
        connect(root, "sid-after")
        auth = sub(root, AuthState)
        auth.token = session_token  # from its localStorage
        scope = await auth.scope()
        with session_scope() as session:
            draft = sales.get_document(session=session, scope=scope, document_id=document_id)
            found = {"user_id": scope.user_id, "page_draft": sub(root, CustomersState).name,
                     "document_status": draft.status, "customer": draft.customer_name,
                     "seconds": round(time.monotonic() - asked, 1)}
    print(json.dumps(found), flush=True)
    await manager.close()


if __name__ == "__main__":
    if sys.argv[1] == "serve":
        asyncio.run(serve(sys.argv[2]))
    elif sys.argv[1] == "survive":
        asyncio.run(survive(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])))
    else:
        asyncio.run(resume(sys.argv[2], sys.argv[3]))
