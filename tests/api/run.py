#!/usr/bin/env python3
"""Schemathesis against a real ViNano server (see schemathesis.toml for what it checks and why).

usage: run.py <vinano-server binary> <seconds>

Starts the server on a temporary data directory and a free port, signs up the two people of the run, runs
`st run` (through st.py) on the server's own `/api/v1/openapi.json` with every check for the given time,
then stops the server with SIGTERM. Fails when schemathesis found anything, when the server logged a panic, or when it
did not stop cleanly. Run it with the Python of the virtual environment schemathesis is installed in
(`cargo xtask api-check` makes it: target/schemathesis).
"""

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

PASSWORD = "a long enough password"
HERE = os.path.dirname(os.path.abspath(__file__))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post_json(url, body):
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"content-type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status


def main():
    binary, seconds = sys.argv[1], sys.argv[2]
    tmp = tempfile.mkdtemp(prefix="vinano-api-")
    port = free_port()
    base = f"http://127.0.0.1:{port}/api/v1"
    env = dict(
        os.environ,
        VINANO_BIND=f"127.0.0.1:{port}",
        VINANO_DATA_DIR=f"{tmp}/data",
        VINANO_DIST_DIR=f"{tmp}/dist",
        # Every request comes from 127.0.0.1, thousands of them: the per-address limits would stop the run
        # early, and a 429 says nothing about the operation.
        VINANO_RATE_LIMIT_SCALE="0",
        VINANO_QUOTA_UPLOADS_PER_HOUR="1000000",
        VINANO_QUOTA_CONVERSATIONS_PER_HOUR="1000000",
        VINANO_QUOTA_JOBS_IN_FLIGHT="1000000",
        VINANO_QUOTA_CONVERSIONS_PER_HOUR="1000000",
        RUST_LOG="vinano_server=warn",
    )
    log = open(f"{tmp}/server.log", "w")
    server = subprocess.Popen([binary], env=env, stdout=subprocess.DEVNULL, stderr=log)
    try:
        started = time.time()
        while True:
            try:
                with urllib.request.urlopen(f"{base}/policy", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.time() - started > 60:
                sys.exit(f"the server didn't start (see {tmp}/server.log)")
            time.sleep(0.1)
        people = []
        # The first account administers the server; it is neither of the two people schemathesis plays, who
        # must stay able to sign in (an administrator may disable an account: ada could lock bob out).
        for name in ("operator", "ada", "bob"):
            status = post_json(
                f"{base}/auth/signup",
                {
                    "name": name.title(), "email": f"{name}@example.com", "username": name, "password": PASSWORD,
                    "date_of_birth": "1990-05-17", "accept_terms": True, "accept_privacy": True,
                    "accept_responsibility": True,
                },
            )
            assert status == 201, f"sign-up of {name}: {status}"
            if name == "operator":
                continue
            people.append({
                "name": name,
                "loginEndpointAuth": {
                    "endpoint": "/api/v1/auth/login", "verb": "POST", "contentType": "application/json",
                    "payloadRaw": json.dumps({"login": name, "password": PASSWORD}), "expectCookies": True,
                },
            })
        auth = f"{tmp}/auth.json"
        with open(auth, "w") as f:
            json.dump({"auth": people}, f)
        run = subprocess.run(
            [
                sys.executable, f"{HERE}/st.py", "--no-color", "--config-file", f"{HERE}/schemathesis.toml",
                "run", f"{base}/openapi.json",
                "--checks", "all", "--max-time", seconds, "--workers", "2",
            ],
            env=dict(os.environ, VINANO_WFC_AUTH=auth),
        )
        problems = []
        if run.returncode != 0:
            problems.append(f"schemathesis found problems (exit status {run.returncode})")
        if server.poll() is not None:
            problems.append(f"the server died during the run (status {server.returncode})")
        else:
            server.send_signal(signal.SIGTERM)
            if server.wait(timeout=30) != 0:
                problems.append(f"the server did not stop cleanly (status {server.returncode})")
        log.close()
        with open(f"{tmp}/server.log") as f:
            panics = [line for line in f if "panicked" in line]
        if panics:
            problems.append("the server panicked:\n" + "".join(panics[:5]))
        for p in problems:
            print(f"api-check: {p}", file=sys.stderr)
        if not problems:
            print(f"api-check: no server errors, no answers that contradict the document ({seconds} s)")
        sys.exit(1 if problems else 0)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


if __name__ == "__main__":
    main()
