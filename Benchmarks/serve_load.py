"""Load client for `tern serve` (Benchmarks/serve.sh): N concurrent clients on loopback, each
sending one line per LibreTranslate request (POST /translate) and waiting for the answer before the
next, for a fixed time. Prints one JSON object: requests, failures, sentences/s, latency p50/p99.
Standard library only."""
import argparse
import http.client
import json
import threading
import time


def client(port, lines, start, deadline, latencies, failures, lock):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    index = start
    while time.monotonic() < deadline:
        body = json.dumps({"q": lines[index % len(lines)], "source": "en", "target": "de"})
        began = time.monotonic()
        try:
            connection.request("POST", "/translate", body, {"Content-Type": "application/json"})
            response = connection.getresponse()
            answer = response.read()
            ok = response.status == 200 and "translatedText" in json.loads(answer)
        except (OSError, http.client.HTTPException, ValueError):
            ok = False
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        elapsed = time.monotonic() - began
        with lock:
            (latencies if ok else failures).append(elapsed)
        index += 1
    connection.close()


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else float("nan")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--lines", required=True, help="file of source lines")
    parser.add_argument("--clients", type=int, required=True)
    parser.add_argument("--seconds", type=float, default=15)
    arguments = parser.parse_args()
    with open(arguments.lines, encoding="utf-8") as handle:
        lines = [line.rstrip("\n") for line in handle if line.strip()]
    latencies, failures, lock = [], [], threading.Lock()
    deadline = time.monotonic() + arguments.seconds
    began = time.monotonic()
    threads = [threading.Thread(target=client, args=(arguments.port, lines, k * 37, deadline, latencies, failures, lock))
               for k in range(arguments.clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.monotonic() - began
    print(json.dumps({
        "clients": arguments.clients, "requests": len(latencies), "failures": len(failures),
        "sentences_per_second": len(latencies) / wall,
        "p50_ms": 1000 * percentile(latencies, 0.50), "p99_ms": 1000 * percentile(latencies, 0.99),
    }))


if __name__ == "__main__":
    main()
