"""HTTP clients for the nbhost tests: http.client over loopback, bounded by
socket timeouts; many at once on threads of their own."""
import http.client
import threading

TIMEOUT_S = 30.0


def post(port, body, path="/webhook", headers=None):
    """One POST on a connection of its own: (status, headers, body)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT_S)
    try:
        conn.request("POST", path, body=body, headers=headers or {})
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        conn.close()


def post_many(port, bodies, connections, path="/webhook"):
    """POSTs `bodies` over `connections` keep-alive connections at once,
    each its share in order; returns {body: status}. A connection that
    fails records None for its body and stops: what it had left is not
    sent (absent from the result)."""
    statuses = {}
    lock = threading.Lock()

    def client(share):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT_S)
        try:
            for body in share:
                try:
                    conn.request("POST", path, body=body)
                    r = conn.getresponse()
                    r.read()
                    status = r.status
                except (OSError, http.client.HTTPException):
                    status = None
                with lock:
                    statuses[body] = status
                if status is None:
                    return
                if r.will_close:
                    conn.close()
        finally:
            conn.close()

    threads = [threading.Thread(target=client, args=(bodies[i::connections],))
               for i in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return statuses
