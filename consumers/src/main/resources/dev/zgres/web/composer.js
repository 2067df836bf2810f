// The message box: sends on Enter, tells the others while the user types (at most every 2 s,
// and that the typing stopped after 3 s without a key or when the message goes).

const $ = (id) => document.getElementById(id);

function submitMessage(e, state, status) {
  e.preventDefault();
  const input = $('composer-input');
  const content = input.value.trim();
  if (!content || state.active === null) return;
  const sent = state.connection.send({ type: 'send', channel_id: state.active, content });
  if (!sent) {
    status('Not connected: the message was not sent.');
    return;
  }
  input.value = '';
  stopTyping(state);
}

function onComposerInput(state) {
  if (state.active === null) return;
  const now = Date.now();
  if (now - state.typingSent > 2000) {
    state.typingSent = now;
    state.connection.send({ type: 'typing', channel_id: state.active, is_typing: true });
  }
  clearTimeout(state.typingIdle);
  state.typingIdle = setTimeout(() => stopTyping(state), 3000);
}

function stopTyping(state) {
  clearTimeout(state.typingIdle);
  if (state.typingSent && state.active !== null) {
    state.connection.send({ type: 'typing', channel_id: state.active, is_typing: false });
  }
  state.typingSent = 0;
}

export function bindComposer(state, status) {
  $('composer').addEventListener('submit', (e) => submitMessage(e, state, status));
  $('composer-input').addEventListener('input', () => onComposerInput(state));
}
