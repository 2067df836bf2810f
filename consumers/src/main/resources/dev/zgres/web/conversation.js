// What one channel shows: its messages merged from history (HTTP) and live frames (WebSocket),
// each once, in message id order; moderated ones hidden with a note; who is typing.

const $ = (id) => document.getElementById(id);

export class Channel {
  constructor(info) {
    this.info = info;
    this.messages = new Map(); // message id -> message
    this.moderated = new Map(); // message id -> risk level (verdicts may come before the history)
    this.typers = new Map(); // user id -> expiry (ms)
    this.unread = 0;
    this.loaded = false;
  }

  /** A message from history or from a message_created event; returns whether it is new. */
  add(m) {
    const id = Number(m.message_id);
    const fresh = !this.messages.has(id);
    const risk = m.metadata && m.metadata.moderated ? m.metadata.risk_level || 'flagged' : null;
    this.messages.set(id, {
      id,
      userId: m.user_id,
      username: m.username || (m.user_id ? `user ${m.user_id}` : 'system'),
      content: m.content,
      type: m.message_type || 'user',
      createdAt: m.created_at,
    });
    if (risk && !this.moderated.has(id)) this.moderated.set(id, risk);
    return fresh;
  }

  /** The page of history, newest first, as the gateway answers it. */
  addHistory(rows) {
    for (const row of rows) this.add(row);
    this.loaded = true;
  }

  edit(event) {
    const m = this.messages.get(Number(event.message_id));
    if (m) m.content = event.content;
  }

  remove(event) {
    this.messages.delete(Number(event.message_id));
  }

  /** A typing frame; a typist not heard of again is dropped after the frame's expiry. */
  typing(userId, isTyping, expiresInMs) {
    if (isTyping) this.typers.set(userId, Date.now() + (expiresInMs || 6000));
    else this.typers.delete(userId);
  }

  currentTypers(now) {
    for (const [user, until] of this.typers) if (until < now) this.typers.delete(user);
    return [...this.typers.keys()];
  }
}

function text(tag, className, content) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  el.textContent = content;
  return el;
}

export function presenceDot(userId, presence) {
  const dot = document.createElement('span');
  dot.className = 'dot';
  dot.dataset.user = String(userId);
  const status = presence.get(userId) || 'unknown';
  dot.dataset.status = status;
  dot.setAttribute('role', 'img');
  dot.setAttribute('aria-label', status);
  return dot;
}

function when(createdAt) {
  if (!createdAt) return '';
  const d = new Date(createdAt);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** Draws the channel's messages, keeping the view at the bottom when it was there. */
export function renderMessages(channel, presence) {
  const list = $('messages');
  const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
  const items = [];
  const ids = [...channel.messages.keys()].sort((a, b) => a - b);
  for (const id of ids) {
    const m = channel.messages.get(id);
    const li = document.createElement('li');
    li.dataset.messageId = String(id);
    const assistant = m.type === 'ai_suggestion' || m.type === 'ai_response';
    const who = assistant ? 'Assistant' : m.username;
    if (assistant) li.classList.add('assistant');
    else if (m.userId) li.append(presenceDot(m.userId, presence));
    li.append(text('span', 'who', who));
    const risk = channel.moderated.get(id);
    if (risk) {
      li.classList.add('moderated');
      li.append(text('span', 'body', `This message was hidden by moderation (${risk}).`));
    } else {
      li.append(text('span', 'body', m.content));
    }
    li.append(text('time', 'when', when(m.createdAt)));
    items.push(li);
  }
  list.replaceChildren(...items);
  if (atBottom) list.scrollTop = list.scrollHeight;
}

export function renderTyping(channel, names) {
  const typers = channel ? channel.currentTypers(Date.now()) : [];
  const who = typers.map((u) => names.get(u) || `user ${u}`);
  $('typing').textContent =
    who.length === 0 ? '' : who.length === 1 ? `${who[0]} is typing…` : `${who.join(', ')} are typing…`;
}
