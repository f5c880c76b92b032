#!/usr/bin/python3
"""Small Twisted programs that speak the tutorial's protocols, written for our interop tests.

    twisted_programs.py fast POEM_FILE           a poetry server: the whole poem, then close
    twisted_programs.py slow POEM_FILE [NUM_BYTES DELAY]
                                                 a poetry server: NUM_BYTES every DELAY seconds
    twisted_programs.py transform                a transform server: one netstring request
                                                 "NAME.POEM", one netstring reply; 'cummingsify'
    twisted_programs.py get-poem PORT            a poetry client: the poem's bytes on stdout
    twisted_programs.py ask PORT NAME            a transform client: stdin's poem in, the
                                                 reply's payload on stdout

Servers listen on 127.0.0.1 on a port the kernel picks and print
"Serving WHAT on 127.0.0.1:PORT." first, as the suite's servers do. Clients
exit 1 when the connection fails or ends without a whole reply.
"""

import sys

from twisted.internet import error, protocol, reactor, task
from twisted.protocols.basic import NetstringReceiver


# --- servers -------------------------------------------------------------------


class FastPoetry(protocol.Protocol):
    def connectionMade(self):
        self.transport.write(self.factory.poem)
        self.transport.loseConnection()


class SlowPoetry(protocol.Protocol):
    def connectionMade(self):
        self.sent = 0
        self.loop = task.LoopingCall(self.send_chunk)
        self.loop.start(self.factory.delay)

    def send_chunk(self):
        poem, size = self.factory.poem, self.factory.num_bytes
        self.transport.write(poem[self.sent:self.sent + size])
        self.sent += size
        if self.sent >= len(poem):
            self.loop.stop()
            self.transport.loseConnection()

    def connectionLost(self, reason):
        if self.loop.running:
            self.loop.stop()


class Transform(NetstringReceiver):
    # The tutorial's protocol: split at the first dot; no dot, an unknown name or a
    # failing transform all close the connection without an answer.
    def stringReceived(self, request):
        name, dot, poem = request.partition(b'.')
        if not dot or name != b'cummingsify':
            self.transport.loseConnection()
            return
        try:
            reply = poem.decode('utf-8').lower().encode('utf-8')
        except UnicodeDecodeError:
            self.transport.loseConnection()
            return
        self.sendString(reply)
        self.transport.loseConnection()


def serve(protocol_class, what, **settings):
    factory = protocol.ServerFactory()
    factory.protocol = protocol_class
    for key, value in settings.items():
        setattr(factory, key, value)
    port = reactor.listenTCP(0, factory, interface='127.0.0.1')
    print('Serving %s on 127.0.0.1:%d.' % (what, port.getHost().port), flush=True)
    reactor.run()


# --- clients -------------------------------------------------------------------


class PoemReader(protocol.Protocol):
    def connectionMade(self):
        self.parts = []

    def dataReceived(self, data):
        self.parts.append(data)

    def connectionLost(self, reason):
        # The poem is every byte before a clean end-of-file; a reset is a failure.
        if reason.check(error.ConnectionDone):
            self.factory.finish(b''.join(self.parts))
        else:
            print('download failed: %s' % reason.getErrorMessage(), file=sys.stderr)
            self.factory.finish(None)


class TransformAsker(NetstringReceiver):
    def connectionMade(self):
        self.sendString(self.factory.request)

    def stringReceived(self, reply):
        self.factory.finish(reply)
        self.transport.loseConnection()

    def connectionLost(self, reason):
        self.factory.finish(None)


class OneShot(protocol.ClientFactory):
    """Connects once; the first outcome decides the exit status."""

    result = None
    done = False

    def finish(self, result):
        if not self.done:
            self.done = True
            self.result = result
            reactor.stop()

    def clientConnectionFailed(self, connector, reason):
        print('connection failed: %s' % reason.getErrorMessage(), file=sys.stderr)
        self.finish(None)


def run_client(protocol_class, port, **settings):
    factory = OneShot()
    factory.protocol = protocol_class
    for key, value in settings.items():
        setattr(factory, key, value)
    reactor.connectTCP('127.0.0.1', port, factory)
    reactor.run()
    if factory.result is None:
        return 1
    sys.stdout.buffer.write(factory.result)
    return 0


def main(args):
    if args[:1] == ['fast'] and len(args) == 2:
        serve(FastPoetry, args[1], poem=open(args[1], 'rb').read())
    elif args[:1] == ['slow'] and len(args) in (2, 4):
        num_bytes, delay = (int(args[2]), float(args[3])) if len(args) == 4 else (10, 0.7)
        serve(SlowPoetry, args[1], poem=open(args[1], 'rb').read(), num_bytes=num_bytes, delay=delay)
    elif args == ['transform']:
        serve(Transform, 'transforms')
    elif args[:1] == ['get-poem'] and len(args) == 2:
        return run_client(PoemReader, int(args[1]))
    elif args[:1] == ['ask'] and len(args) == 3:
        request = args[2].encode('utf-8') + b'.' + sys.stdin.buffer.read()
        return run_client(TransformAsker, int(args[1]), request=request)
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
