// The chat page: log in, list channels, open one (history over HTTP, live over the socket),
// send, type, see who is online, and keep the token fresh. The token lives in this tab's
// sessionStorage (it survives a reload, never enters a URL, and is gone with the tab).

import { Api, ApiError, login, register } from './api.js';
import { Connection } from './connection.js';
import { Channel, renderMessages, renderTyping } from './conversation.js';
import { bindSidebar, renderFriends } from './sidebar.js';
import { renderChannelList as drawChannelList } from './channel-list.js';
import { bindComposer } from './composer.js';
import { onFrame as handleFrame } from './frames.js';

const $ = (id) => document.getElementById(id);
const KEY = 'zgres.session';

const state = {
  session: null,
  channels: new Map(), // id -> Channel
  active: null, // open channel id
  names: new Map(), // user id -> username
  presence: new Map(), // user id -> online/offline
  connection: null,
  refreshTimer: null,
  typingSent: 0,
  typingIdle: null,
};
const api = new Api(() => state.session);

function saveSession(s) {
  state.session = s;
  if (s) sessionStorage.setItem(KEY, JSON.stringify(s));
  else sessionStorage.removeItem(KEY);
}

function status(id, message) {
  $(id).textContent = message;
}

// ---- login ----

async function submitLogin(e) {
  e.preventDefault();
  const username = $('login-username').value.trim();
  const password = $('login-password').value;
  status('login-status', '');
  try {
    const r = await login(username, password);
    saveSession({ token: r.token, userId: r.user_id, username, expiresAt: r.expires_at });
    $('login-password').value = '';
    await enterChat();
  } catch (err) {
    status('login-status', err.message);
  }
}

async function submitRegister() {
  const username = $('login-username').value.trim();
  const password = $('login-password').value;
  const email = $('login-email').value.trim();
  if (!username || !password || !email) {
    status('login-status', 'To register, fill in a username, a password and an email.');
    return;
  }
  try {
    await register(username, password, email);
    status('login-status', 'Registered; logging in…');
    await submitLogin(new Event('submit'));
  } catch (err) {
    status('login-status', err.message);
  }
}

function showLogin(message) {
  if (state.connection) state.connection.stop();
  state.connection = null;
  clearTimeout(state.refreshTimer);
  saveSession(null);
  state.channels.clear();
  state.active = null;
  $('chat-view').hidden = true;
  $('login-view').hidden = false;
  status('login-status', message || '');
  $('login-username').focus();
}

// ---- the chat ----

async function enterChat() {
  $('login-view').hidden = true;
  $('chat-view').hidden = false;
  $('me').textContent = `${state.session.username} (id ${state.session.userId})`;
  state.names.set(state.session.userId, state.session.username);
  state.connection = new Connection(() => state.session.token, {
    frame: onFrame,
    state: onConnectionState,
    refused: () => showLogin('Your session ended; please log in again.'),
  });
  try {
    await loadChannels();
    await countUnread();
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      showLogin('Your session ended; please log in again.');
      return;
    }
    status('side-status', err.message);
  }
  state.connection.start();
  scheduleRefresh();
  renderFriends(api, state).catch((err) => status('side-status', err.message));
  const wanted = channelFromHash();
  if (wanted) openChannel(wanted);
}

async function loadChannels() {
  const rows = await api.channels();
  const seen = new Set();
  for (const row of rows) {
    seen.add(row.channel_id);
    const known = state.channels.get(row.channel_id);
    if (known) known.info = row;
    else state.channels.set(row.channel_id, new Channel(row));
    if (row.role && state.connection) state.connection.subscribe(row.channel_id, false);
  }
  for (const id of [...state.channels.keys()]) {
    if (!seen.has(id) && id !== state.active) state.channels.delete(id);
  }
  renderChannelList();
}

async function countUnread() {
  for (const m of await api.unread()) {
    const ch = state.channels.get(m.channel_id);
    if (ch && m.channel_id !== state.active) ch.unread += 1;
  }
  renderChannelList();
}

function renderChannelList() {
  drawChannelList(state, { open: openChannel, join: joinChannel });
}

async function joinChannel(id) {
  try {
    await api.join(id);
    await loadChannels();
    openChannel(id);
  } catch (err) {
    status('side-status', err.message);
  }
}

function channelFromHash() {
  const m = /^#channel-(\d{1,10})$/.exec(location.hash);
  return m ? Number(m[1]) : null;
}

function openChannel(id) {
  let ch = state.channels.get(id);
  if (!ch) {
    // Not in my list (say, a link to someone else's private channel): the gateway decides.
    ch = new Channel({ channel_id: id, name: `channel ${id}`, channel_type: 'unknown', role: null });
    state.channels.set(id, ch);
  }
  state.active = id;
  ch.unread = 0;
  if (location.hash !== `#channel-${id}`) history.replaceState(null, '', `#channel-${id}`);
  $('channel-title').textContent = ch.info.channel_type === 'direct' ? ch.info.name : `# ${ch.info.name}`;
  $('composer-input').disabled = false;
  $('send-button').disabled = false;
  $('sidebar').classList.remove('shown');
  $('sidebar-toggle').setAttribute('aria-expanded', 'false');
  renderChannelList();
  renderMessages(ch, state.presence);
  renderTyping(ch, state.names);
  $('suggestions').replaceChildren();
  state.connection.subscribe(id, false);
  if (ch.loaded) loadSuggestions(id);
}

/** After `subscribed` (or a refetch): the history up to now, merged with what arrives live. */
async function loadHistory(id) {
  const ch = state.channels.get(id);
  if (!ch) return;
  try {
    ch.addHistory(await api.history(id));
    for (const m of ch.messages.values()) state.names.set(m.userId, m.username);
    if (id === state.active) {
      renderMessages(ch, state.presence);
      loadSuggestions(id);
    }
  } catch (err) {
    if (id === state.active) showRefusal(err.message);
  }
}

async function loadSuggestions(id) {
  try {
    const rows = await api.suggestions(id);
    if (id !== state.active) return;
    const buttons = rows.map((s) => {
      const b = document.createElement('button');
      b.type = 'button';
      const words = s.content.length > 80 ? `${s.content.slice(0, 77)}…` : s.content;
      b.textContent = words;
      b.title = 'Use this reply';
      b.addEventListener('click', () => {
        $('composer-input').value = s.content;
        $('composer-input').focus();
      });
      return b;
    });
    // The chips take room from the message list: keep it at the bottom if it was there.
    const list = $('messages');
    const atBottom = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
    $('suggestions').replaceChildren(...buttons);
    if (atBottom) list.scrollTop = list.scrollHeight;
  } catch (err) {
    $('suggestions').replaceChildren();
  }
}

function showRefusal(message) {
  $('messages').replaceChildren();
  $('channel-title').textContent = 'This channel cannot be opened';
  $('typing').textContent = message;
  $('composer-input').disabled = true;
  $('send-button').disabled = true;
}

const frameContext = {
  state,
  saveSession,
  loadHistory,
  loadChannels,
  loadSuggestions,
  showRefusal,
  refreshToken,
  renderChannelList,
  status,
};

function onFrame(f) {
  handleFrame(f, frameContext);
}

function onConnectionState(s, detail) {
  const el = $('connection');
  el.dataset.state = s;
  if (s === 'live') el.dataset.connections = String(Number(el.dataset.connections || 0) + 1);
  el.textContent = s === 'live' ? 'live' : s === 'down' ? `offline, ${detail}` : s;
}

// ---- the token ----

function scheduleRefresh() {
  clearTimeout(state.refreshTimer);
  // A minute before expiry; for short-lived tokens, after 70% of what is left.
  const left = new Date(state.session.expiresAt).getTime() - Date.now();
  const wait = Math.max(500, left > 120_000 ? left - 60_000 : left * 0.7);
  state.refreshTimer = setTimeout(refreshToken, wait);
}

async function refreshToken() {
  if (!state.session) return;
  try {
    const r = await api.renewToken();
    saveSession({ ...state.session, token: r.token, expiresAt: r.expires_at });
    state.connection.send({ type: 'refresh', token: r.token });
    scheduleRefresh();
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) showLogin('Your session expired; please log in again.');
    else state.refreshTimer = setTimeout(refreshToken, 5000);
  }
}

// ---- start ----

function boot() {
  $('login-form').addEventListener('submit', submitLogin);
  $('register-button').addEventListener('click', submitRegister);
  $('logout-button').addEventListener('click', () => showLogin('Logged out.'));
  bindComposer(state, (m) => status('side-status', m));
  $('sidebar-toggle').addEventListener('click', () => {
    const shown = $('sidebar').classList.toggle('shown');
    $('sidebar-toggle').setAttribute('aria-expanded', String(shown));
  });
  window.addEventListener('hashchange', () => {
    const id = channelFromHash();
    if (id !== null && state.session && id !== state.active) openChannel(id);
  });
  setInterval(() => renderTyping(state.channels.get(state.active), state.names), 1000);
  bindSidebar(api, state, {
    status: (m) => status('side-status', m),
    reloadChannels: loadChannels,
    openChannel,
  });
  const saved = sessionStorage.getItem(KEY);
  if (saved) {
    try {
      state.session = JSON.parse(saved);
    } catch (e) {
      state.session = null;
    }
  }
  if (state.session && new Date(state.session.expiresAt).getTime() > Date.now()) enterChat();
  else showLogin();
}

boot();
