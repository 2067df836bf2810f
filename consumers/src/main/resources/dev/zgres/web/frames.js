// What the page does with each frame from the gateway (README, "WebSocket protocol").

import { renderMessages, renderTyping } from './conversation.js';

export function onFrame(f, ctx) {
  const { state } = ctx;
  const ch = state.channels.get(f.channel_id);
  switch (f.type) {
    case 'auth_ok':
      state.session.expiresAt = f.expires_at;
      ctx.saveSession(state.session);
      return;
    case 'subscribed':
      if (ch && !ch.loaded) ctx.loadHistory(f.channel_id);
      return;
    case 'refetch':
      if (ch) {
        ch.loaded = false;
        ch.messages.clear();
        state.connection.subscribe(f.channel_id, true);
      }
      return;
    case 'message':
      if (ch) onEvent(ch, f.event, ctx);
      return;
    case 'moderation':
      if (ch) {
        ch.moderated.set(Number(f.message_id), f.risk_level);
        if (f.channel_id === state.active) renderMessages(ch, state.presence);
      }
      return;
    case 'typing':
      if (ch && f.user_id !== state.session.userId) {
        ch.typing(f.user_id, f.is_typing, f.expires_in_ms);
        if (f.channel_id === state.active) renderTyping(ch, state.names);
      }
      return;
    case 'presence':
      state.presence.set(f.user_id, f.status);
      for (const dot of document.querySelectorAll(`.dot[data-user="${f.user_id}"]`)) {
        dot.dataset.status = f.status;
        dot.setAttribute('aria-label', f.status);
      }
      return;
    case 'unsubscribed':
      if (f.reason === 'membership_revoked') {
        state.connection.forget(f.channel_id);
        ctx.loadChannels().catch(() => {});
        if (f.channel_id === state.active) ctx.showRefusal('You are no longer a member of this channel.');
      }
      return;
    case 'error':
      onError(f, ctx);
      return;
    default:
  }
}

function onEvent(ch, event, ctx) {
  const { state } = ctx;
  const id = ch.info.channel_id;
  switch (event.event) {
    case 'message_created':
      state.names.set(event.user_id, event.username);
      if (ch.add(event) && id !== state.active && event.user_id !== state.session.userId) {
        ch.unread += 1;
        ctx.renderChannelList();
      }
      ch.typing(event.user_id, false);
      if (id === state.active && event.message_type === 'ai_suggestion') ctx.loadSuggestions(id);
      break;
    case 'message_edited':
      ch.edit(event);
      break;
    case 'message_deleted':
      ch.remove(event);
      break;
    case 'member_joined':
    case 'member_left':
    case 'member_removed':
      if (event.user_id === state.session.userId) ctx.loadChannels().catch(() => {});
      break;
    default:
  }
  if (id === state.active) {
    renderMessages(ch, state.presence);
    renderTyping(ch, state.names);
  }
}

function onError(f, ctx) {
  const { state } = ctx;
  if (f.code === 'token_expired') {
    ctx.refreshToken();
    return;
  }
  const sub = typeof f.id === 'string' && /^sub-(\d+)-/.exec(f.id);
  if (sub && (f.code === 'forbidden' || f.code === 'not_found')) {
    const id = Number(sub[1]);
    state.connection.forget(id);
    const ch = state.channels.get(id);
    if (ch && ch.info.channel_type === 'unknown') {
      state.channels.delete(id);
      ctx.renderChannelList();
    }
    if (id === state.active) {
      ctx.showRefusal(f.code === 'forbidden' ? 'You are not a member of this private channel.' : 'There is no such channel.');
    }
    return;
  }
  ctx.status('side-status', f.message || f.code);
}
