#!/usr/bin/python3
"""Wire interop, both ways: Twisted programs of our own against the suite's
programs, and the suite's clients against Twisted servers, byte for byte with
a poem that is not ASCII.

    /usr/bin/python3 tests/interop/test_interop.py BIN_DIR

Debian's Twisted (python3-twisted) lives with /usr/bin/python3. Every server
listens on 127.0.0.1 on a port the kernel picks; every wait is bounded.
"""

import os
import select
import socket
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
TWISTED = [sys.executable, os.path.join(HERE, 'twisted_programs.py')]
BIN = None  # set from the command line
LIMIT = 30  # seconds, for any one program

# Written for this test: Greek with a final sigma, Turkish dotted and dotless capitals, Latin.
POEM = ('ΟΙ ΦΑΡΟΙ ΤΟΥ ΛΙΜΑΝΙΟΥ ΑΝΑΒΟΥΝ ΕΝΑΣ ΕΝΑΣ,\n'
        'İSTANBUL\'DA GECE, IŞIKLAR SUYA DÜŞER;\n'
        'THE HARBOUR KEEPS ONE LAMP FOR ME.\n').encode('utf-8')
LOWER = POEM.decode('utf-8').lower().encode('utf-8')  # what cummingsify must give, as Python says


class Server:
    """A server program, started and read until its "Serving ... on HOST:PORT." line."""

    def __init__(self, argv):
        self.process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        line = self._first_line()
        if not line.startswith('Serving '):
            self.stop()
            raise RuntimeError('%s did not start: %r' % (argv[0], line))
        self.port = int(line.rstrip('.\n').rsplit(':', 1)[1])

    def _first_line(self):
        # Bounded: a server that prints nothing within LIMIT seconds did not start.
        ready, _, _ = select.select([self.process.stdout], [], [], LIMIT)
        return self.process.stdout.readline().decode() if ready else ''

    def stop(self):
        self.process.kill()
        self.process.wait(LIMIT)
        self.process.stdout.close()


def closed_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def run(argv, stdin=b''):
    return subprocess.run(argv, input=stdin, capture_output=True, timeout=LIMIT)


def ours(name):
    return os.path.join(BIN, name)


class InteropTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.folder = tempfile.TemporaryDirectory()
        cls.poem_path = os.path.join(cls.folder.name, 'harbour.txt')
        with open(cls.poem_path, 'wb') as f:
            f.write(POEM)

    @classmethod
    def tearDownClass(cls):
        cls.folder.cleanup()

    def start(self, argv):
        server = Server(argv)
        self.addCleanup(server.stop)
        return server

    # --- a Twisted client against our servers ---

    def twisted_fetch(self, port):
        got = run(TWISTED + ['get-poem', str(port)])
        self.assertEqual(got.returncode, 0, got.stderr)
        return got.stdout

    def test_twisted_client_gets_the_poem_from_fastpoetry(self):
        server = self.start([ours('fastpoetry'), '--quiet', self.poem_path])
        self.assertEqual(self.twisted_fetch(server.port), POEM)

    def test_twisted_client_gets_the_poem_from_slowpoetry(self):
        server = self.start([ours('slowpoetry'), '--quiet', '--num-bytes', '7', '--delay', '0.01', self.poem_path])
        self.assertEqual(self.twisted_fetch(server.port), POEM)

    def test_twisted_client_gets_the_poem_through_poetry_proxy(self):
        upstream = self.start([ours('fastpoetry'), '--quiet', self.poem_path])
        proxy = self.start([ours('poetry-proxy'), '--quiet', str(upstream.port)])
        self.assertEqual(self.twisted_fetch(proxy.port), POEM)  # downloaded
        self.assertEqual(self.twisted_fetch(proxy.port), POEM)  # cached

    def test_twisted_client_gets_transformedpoetry_s_cummingsify(self):
        server = self.start([ours('transformedpoetry'), '--quiet'])
        got = run(TWISTED + ['ask', str(server.port), 'cummingsify'], stdin=POEM)
        self.assertEqual(got.returncode, 0, got.stderr)
        self.assertEqual(got.stdout, LOWER)

    def test_transformedpoetry_refuses_an_unknown_transform_as_the_original_does(self):
        server = self.start([ours('transformedpoetry'), '--quiet'])
        got = run(TWISTED + ['ask', str(server.port), 'shout'], stdin=POEM)
        self.assertEqual(got.returncode, 1)  # closed without an answer
        self.assertEqual(got.stdout, b'')

    # --- our clients against Twisted servers ---

    def test_our_clients_against_twisted_servers(self):
        transform = self.start(TWISTED + ['transform'])
        fast = self.start(TWISTED + ['fast', self.poem_path])
        slow = self.start(TWISTED + ['slow', self.poem_path, '9', '0.01'])
        for client in ('get-poetry-6', 'get-poetry-7', 'get-poetry-8'):
            with self.subTest(client=client):
                got = run([ours(client), str(transform.port), str(fast.port), str(slow.port)])
                self.assertEqual(got.returncode, 0, got.stderr)
                self.assertEqual(got.stdout, LOWER + b'\n' + LOWER + b'\n')
                self.assertEqual(got.stderr, b'')

    def test_our_clients_without_transform_get_twisted_bytes_exactly(self):
        slow = self.start(TWISTED + ['slow', self.poem_path, '5', '0.01'])
        for client in ('get-poetry-6', 'get-poetry-7', 'get-poetry-8'):
            with self.subTest(client=client):
                got = run([ours(client), '--no-xform', str(slow.port)])
                self.assertEqual(got.returncode, 0, got.stderr)
                self.assertEqual(got.stdout, POEM + b'\n')

    def test_our_clients_when_the_twisted_transform_server_is_down(self):
        fast = self.start(TWISTED + ['fast', self.poem_path])
        dead = closed_port()
        for client in ('get-poetry-6', 'get-poetry-7', 'get-poetry-8'):
            with self.subTest(client=client):
                got = run([ours(client), str(dead), str(fast.port)])
                self.assertEqual(got.returncode, 0, got.stderr)
                self.assertEqual(got.stdout, POEM + b'\n')  # the poem as it was
                self.assertIn(b'Cummingsify failed for the poem from 127.0.0.1:%d: transform server 127.0.0.1:%d'
                              % (fast.port, dead), got.stderr)

    def test_our_clients_when_the_twisted_transform_server_refuses(self):
        transform = self.start(TWISTED + ['transform'])
        fast = self.start(TWISTED + ['fast', self.poem_path])
        got = run([ours('get-poetry-7'), '--xform', 'shout', str(transform.port), str(fast.port)])
        self.assertEqual(got.returncode, 0, got.stderr)
        self.assertEqual(got.stdout, POEM + b'\n')
        self.assertIn(b"The transform 'shout' failed for the poem from 127.0.0.1:%d: transform server 127.0.0.1:%d: "
                      b'connection closed without a reply' % (fast.port, transform.port), got.stderr)


if __name__ == '__main__':
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    BIN = sys.argv.pop(1)
    unittest.main(verbosity=2)
