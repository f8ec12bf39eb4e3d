#!/usr/bin/env python3
"""A stand-in for the Hugging Face hub on 127.0.0.1, for `tern model fetch` tests (standard library only).

    python3 hub_server.py --model NAME=FOLDER [--wrong-sha256 FILE] [--log PATH]

Prints the port it listens on, answers until its standard input closes, and answers as huggingface.co does:
  GET /api/models/NAME?blobs=true         {"siblings": [{"rfilename", "size", "blobId", "lfs"?}]}; files ending in
                                          .safetensors, .bin or .spm are listed as Git LFS files with their SHA-256
  GET /NAME/resolve/main/FILE             the file, honouring a `Range: bytes=N-` header (206 Partial Content)
--wrong-sha256 FILE lists a wrong SHA-256 (a wrong blob id outside LFS) for FILE; --log appends one line per request: PATH RANGE.
"""
import argparse
import hashlib
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

LFS_SUFFIXES = (".safetensors", ".bin", ".spm")


def listing(folder: str, wrong: set[str]) -> bytes:
    siblings = []
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        data = open(path, "rb").read()
        blob = hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()
        entry = {"rfilename": name, "size": len(data), "blobId": ("0" * 40) if name in wrong else blob}
        if name.endswith(LFS_SUFFIXES):
            sha = hashlib.sha256(data).hexdigest()
            entry["lfs"] = {"sha256": ("0" * 64) if name in wrong else sha, "size": len(data), "pointerSize": 134}
        siblings.append(entry)
    return json.dumps({"id": "fixture", "siblings": siblings}).encode()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", action="append", required=True)
    parser.add_argument("--wrong-sha256", action="append", default=[])
    parser.add_argument("--log")
    args = parser.parse_args()
    models = dict(item.split("=", 1) for item in args.model)
    wrong = set(args.wrong_sha256)

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *_):
            pass

        def send(self, status: int, body: bytes, headers: dict | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            path = urlparse(self.path).path
            if args.log:
                with open(args.log, "a") as log:
                    log.write(f"{path} {self.headers.get('Range', '-')}\n")
            for name, folder in models.items():
                if path == f"/api/models/{name}":
                    return self.send(200, listing(folder, wrong), {"Content-Type": "application/json"})
                prefix = f"/{name}/resolve/main/"
                if path.startswith(prefix) and "/" not in path[len(prefix):]:
                    file = os.path.join(folder, path[len(prefix):])
                    if not os.path.isfile(file):
                        break
                    data = open(file, "rb").read()
                    requested = self.headers.get("Range")
                    if requested and requested.startswith("bytes=") and requested.endswith("-"):
                        start = int(requested[len("bytes="):-1])
                        if start >= len(data):
                            return self.send(416, b"", {"Content-Range": f"bytes */{len(data)}"})
                        return self.send(206, data[start:], {"Content-Range": f"bytes {start}-{len(data) - 1}/{len(data)}",
                                                             "Accept-Ranges": "bytes"})
                    return self.send(200, data, {"Accept-Ranges": "bytes"})
            self.send(404, b'{"error": "Repository not found"}')

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    print(server.server_address[1], flush=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    sys.stdin.read()
    server.shutdown()


if __name__ == "__main__":
    main()
