// The gateway's HTTP API (README, "HTTP API"). The token travels in the Authorization header only.

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

async function request(method, path, token, body) {
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch (e) {
    throw new ApiError(0, 'the gateway cannot be reached');
  }
  if (response.status === 204) return null;
  let json = null;
  try {
    json = await response.json();
  } catch (e) {
    json = null;
  }
  if (!response.ok) {
    throw new ApiError(response.status, (json && json.error) || `the gateway answered ${response.status}`);
  }
  return json;
}

export const register = (username, password, email) =>
  request('POST', '/api/register', null, { username, password, email });

export const login = (username, password) => request('POST', '/api/login', null, { username, password });

/** Calls made as a logged-in user; `session()` gives the current token. */
export class Api {
  constructor(session) {
    this.session = session;
  }

  call(method, path, body) {
    return request(method, path, this.session().token, body);
  }

  renewToken() { return this.call('POST', '/api/token'); }
  channels() { return this.call('GET', '/api/channels').then((r) => r.channels); }
  createChannel(name, channelType, memberIds) {
    return this.call('POST', '/api/channels', { name, channel_type: channelType, member_ids: memberIds });
  }
  join(id) { return this.call('POST', `/api/channels/${id}/join`); }
  history(id, before) {
    const page = before ? `&before=${encodeURIComponent(before)}` : '';
    return this.call('GET', `/api/channels/${id}/messages?limit=100${page}`).then((r) => r.messages);
  }
  suggestions(id) {
    return this.call('GET', `/api/channels/${id}/suggestions?limit=3`).then((r) => r.suggestions);
  }
  unread() { return this.call('GET', '/api/unread').then((r) => r.messages); }
  friends() { return this.call('GET', '/api/friends').then((r) => r.friends); }
  setFriends(ids) { return this.call('PUT', '/api/friends', { friend_ids: ids }); }
  setFriendsOnly(flag) { return this.call('PUT', '/api/friends-only', { friends_only: flag }); }
  direct(receiverId, body) { return this.call('POST', '/api/direct', { receiver_id: receiverId, body }); }
  search(q) { return this.call('GET', `/api/search?q=${encodeURIComponent(q)}`); }
}
