// One WebSocket to the gateway (README, "WebSocket protocol"): authenticates with the first frame,
// answers pings, and after any loss reconnects and subscribes again from the position of the last
// frame received per channel, so the gateway sends exactly what was missed.

const REFUSED = new Set([4501, 4503]);

export class Connection {
  /**
   * @param token function giving the current token
   * @param handlers { frame(f), state(s, detail), refused(code) }
   */
  constructor(token, handlers) {
    this.token = token;
    this.handlers = handlers;
    this.socket = null;
    this.live = false;
    this.stopped = false;
    this.attempt = 0;
    this.positions = new Map(); // channel id -> {epoch, offset} or null (fresh)
    this.nextId = 1;
  }

  start() {
    this.stopped = false;
    this.open();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.retry);
    if (this.socket) this.socket.close(1000, 'logged out');
  }

  open() {
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const socket = new WebSocket(`${scheme}//${location.host}/ws`);
    this.socket = socket;
    this.handlers.state(this.attempt === 0 ? 'connecting' : 'reconnecting');
    socket.onopen = () => socket.send(JSON.stringify({ type: 'auth', token: this.token() }));
    socket.onmessage = (e) => this.receive(socket, e.data);
    socket.onclose = (e) => this.closed(socket, e.code);
  }

  receive(socket, text) {
    let frame;
    try {
      frame = JSON.parse(text);
    } catch (e) {
      return;
    }
    switch (frame.type) {
      case 'ping':
        socket.send('{"type":"pong"}');
        return;
      case 'auth_ok':
        if (!this.live) {
          this.live = true;
          this.attempt = 0;
          this.handlers.state('live');
          for (const [channel, since] of this.positions) this.sendSubscribe(channel, since);
        }
        break;
      case 'message':
      case 'moderation':
        this.positions.set(frame.channel_id, { epoch: frame.epoch, offset: frame.offset });
        break;
      case 'subscribed':
        if (!this.positions.get(frame.channel_id)) {
          this.positions.set(frame.channel_id, { epoch: frame.epoch, offset: frame.offset });
        }
        break;
      case 'refetch':
        this.positions.set(frame.channel_id, null);
        break;
      case 'unsubscribed':
        this.positions.delete(frame.channel_id);
        break;
      default:
    }
    this.handlers.frame(frame);
  }

  closed(socket, code) {
    if (socket !== this.socket) return;
    this.live = false;
    this.socket = null;
    if (this.stopped) return;
    if (REFUSED.has(code)) {
      this.handlers.state('down', 'refused');
      this.handlers.refused(code);
      return;
    }
    this.attempt += 1;
    const delay = Math.min(5000, 250 * 2 ** Math.min(this.attempt, 5)) * (0.75 + Math.random() / 2);
    this.handlers.state('down', `reconnecting in ${Math.round(delay / 100) / 10} s`);
    this.retry = setTimeout(() => this.open(), delay);
  }

  /** Subscribes to a channel from now (`fresh`: again, after a refetch); once per channel. */
  subscribe(channel, fresh) {
    if (!fresh && this.positions.has(channel)) return; // subscribed, or will be on (re)connect
    this.positions.set(channel, null);
    if (this.live) this.sendSubscribe(channel, null);
  }

  forget(channel) {
    this.positions.delete(channel);
  }

  sendSubscribe(channel, since) {
    const frame = { type: 'subscribe', channel_id: channel, id: `sub-${channel}-${this.nextId++}` };
    if (since) frame.since = since;
    this.socket.send(JSON.stringify(frame));
  }

  /** Sends a request frame; returns its id, or null when the socket is not live. */
  send(frame) {
    if (!this.live) return null;
    const id = frame.id || `r${this.nextId++}`;
    this.socket.send(JSON.stringify({ ...frame, id }));
    return id;
  }
}
