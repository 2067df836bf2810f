-- What the WebSocket gateway needs from the chat: membership events on the channel's own stream
-- (so a subscriber's access ends exactly at its removal), leaving and removing members, the read
-- check, the HTTP API's queries, and presence shared by several gateway instances that expires
-- unless renewed. Idempotent: safe to re-run.
--
-- Channel chat_message_<channel_id>, in the same order as the channel's messages:
--   member_joined   channel_id, channel_type, user_id, role, joined_at
--   member_left     channel_id, channel_type, user_id, left_at
--   member_removed  channel_id, channel_type, user_id, removed_by, left_at

/**
 * Emits member_joined when a row is added to chat.channel_members, and member_left (or
 * member_removed, when chat.remove_member is the cause) when one is deleted. Nothing is emitted
 * when the channel itself is being deleted.
 */
CREATE OR REPLACE FUNCTION chat.on_member_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    v_type text;
    v_removed_by text;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT channel_type INTO v_type FROM chat.channels WHERE id = NEW.channel_id;
        PERFORM zgres.emit(chat.message_channel(NEW.channel_id), jsonb_build_object(
            'event', 'member_joined',
            'channel_id', NEW.channel_id,
            'channel_type', v_type,
            'user_id', NEW.user_id,
            'role', NEW.role,
            'joined_at', NEW.joined_at)::text);
        RETURN NEW;
    END IF;
    SELECT channel_type INTO v_type FROM chat.channels WHERE id = OLD.channel_id;
    IF NOT FOUND THEN
        RETURN OLD;
    END IF;
    v_removed_by := nullif(current_setting('chat.removed_by', true), '');
    IF v_removed_by IS NULL THEN
        PERFORM zgres.emit(chat.message_channel(OLD.channel_id), jsonb_build_object(
            'event', 'member_left',
            'channel_id', OLD.channel_id,
            'channel_type', v_type,
            'user_id', OLD.user_id,
            'left_at', now())::text);
    ELSE
        PERFORM zgres.emit(chat.message_channel(OLD.channel_id), jsonb_build_object(
            'event', 'member_removed',
            'channel_id', OLD.channel_id,
            'channel_type', v_type,
            'user_id', OLD.user_id,
            'removed_by', v_removed_by::int,
            'left_at', now())::text);
    END IF;
    RETURN OLD;
END;
$$;

CREATE OR REPLACE TRIGGER channel_members_emit AFTER INSERT OR DELETE ON chat.channel_members
    FOR EACH ROW EXECUTE FUNCTION chat.on_member_change();

/**
 * p_user_id leaves a public or private channel; returns false when they were not a member. A
 * direct channel cannot be left (it is the pair's conversation). Emits member_left.
 */
CREATE OR REPLACE FUNCTION chat.leave_channel(p_user_id int, p_channel_id int) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    v_type text;
BEGIN
    PERFORM chat.require_user(p_user_id);
    v_type := chat.require_channel(p_channel_id);
    IF v_type = 'direct' THEN
        RAISE EXCEPTION 'channel % is direct: a direct channel cannot be left', p_channel_id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM set_config('chat.removed_by', '', true);
    DELETE FROM chat.channel_members WHERE channel_id = p_channel_id AND user_id = p_user_id;
    RETURN FOUND;
END;
$$;

/**
 * The channel's owner removes p_user_id from a public or private channel; emits member_removed
 * with removed_by. Refused for anyone but the owner, for direct channels and for the owner
 * themselves (who leaves instead); no_data_found when p_user_id is not a member.
 */
CREATE OR REPLACE FUNCTION chat.remove_member(p_actor_id int, p_channel_id int, p_user_id int) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_type text;
BEGIN
    PERFORM chat.require_user(p_actor_id, 'actor_id');
    PERFORM chat.require_user(p_user_id);
    v_type := chat.require_channel(p_channel_id);
    IF v_type = 'direct' THEN
        RAISE EXCEPTION 'channel % is direct: nobody can be removed from it', p_channel_id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM chat.channels WHERE id = p_channel_id AND owner_id = p_actor_id)
       AND NOT EXISTS (SELECT 1 FROM chat.channel_members
                        WHERE channel_id = p_channel_id AND user_id = p_actor_id AND role = 'owner') THEN
        RAISE EXCEPTION 'user % may not remove members of channel %: only its owner may', p_actor_id, p_channel_id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF p_actor_id = p_user_id THEN
        RAISE EXCEPTION 'the owner cannot remove themselves; use chat.leave_channel'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM set_config('chat.removed_by', p_actor_id::text, true);
    DELETE FROM chat.channel_members WHERE channel_id = p_channel_id AND user_id = p_user_id;
    IF NOT FOUND THEN
        PERFORM set_config('chat.removed_by', '', true);
        RAISE EXCEPTION 'user % is not a member of channel %', p_user_id, p_channel_id
            USING ERRCODE = 'no_data_found';
    END IF;
    PERFORM set_config('chat.removed_by', '', true);
END;
$$;

/**
 * Whether p_user_id may read a channel's events: 'ok' for a public channel or a member,
 * 'forbidden' for anyone else, 'not_found' when there is no such channel. Never raises.
 */
CREATE OR REPLACE FUNCTION chat.read_access(p_user_id int, p_channel_id int) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT CASE
        WHEN c.id IS NULL THEN 'not_found'
        WHEN c.channel_type = 'public' THEN 'ok'
        WHEN EXISTS (SELECT 1 FROM chat.channel_members m
                      WHERE m.channel_id = c.id AND m.user_id = p_user_id) THEN 'ok'
        ELSE 'forbidden'
    END
    FROM (SELECT 1) AS one
    LEFT JOIN chat.channels c ON c.id = p_channel_id;
$$;

/**
 * The channels p_user_id can see: every public channel and every channel they are a member of,
 * with their role (NULL when not a member) and the id of the latest live message (NULL if none).
 */
CREATE OR REPLACE FUNCTION chat.get_my_channels(p_user_id int)
RETURNS TABLE (
    channel_id      int,
    name            text,
    channel_type    text,
    role            text,
    last_message_id bigint
)
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
BEGIN
    PERFORM chat.require_user(p_user_id);
    RETURN QUERY
    SELECT c.id, c.name, c.channel_type, m.role,
           (SELECT max(x.id) FROM chat.messages x WHERE x.channel_id = c.id AND x.deleted_at IS NULL)
      FROM chat.channels c
      LEFT JOIN chat.channel_members m ON m.channel_id = c.id AND m.user_id = p_user_id
     WHERE c.channel_type = 'public' OR m.user_id IS NOT NULL
     ORDER BY c.id;
END;
$$;

/**
 * A page of a channel's history for p_user_id (who must be allowed to read it): up to p_limit (1
 * to 200) live messages with an id below p_before_id (NULL: the latest), newest first. The next
 * page passes the smallest id returned.
 */
CREATE OR REPLACE FUNCTION chat.get_history(p_user_id int, p_channel_id int, p_before_id bigint, p_limit int)
RETURNS TABLE (
    message_id   bigint,
    user_id      int,
    username     text,
    content      text,
    message_type text,
    metadata     jsonb,
    created_at   timestamptz,
    edited_at    timestamptz
)
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
BEGIN
    PERFORM chat.require_user(p_user_id);
    PERFORM chat.require_access(p_user_id, p_channel_id);
    IF p_limit IS NULL OR p_limit NOT BETWEEN 1 AND 200 THEN
        RAISE EXCEPTION 'limit must be between 1 and 200 (was %)', coalesce(p_limit::text, 'NULL')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN QUERY
    SELECT m.id, m.user_id, u.username, m.content, m.message_type, m.metadata, m.created_at, m.edited_at
      FROM chat.messages m
      LEFT JOIN chat.users u ON u.id = m.user_id
     WHERE m.channel_id = p_channel_id AND m.deleted_at IS NULL
       AND (p_before_id IS NULL OR m.id < p_before_id)
     ORDER BY m.id DESC
     LIMIT p_limit;
END;
$$;

-- Which gateway instance holds sockets of which user, until when. An instance renews its rows
-- while it runs; rows of an instance that died expire, and any instance's sweep then marks the
-- user offline.
CREATE TABLE IF NOT EXISTS chat.presence_sessions (
    gateway_id text NOT NULL,
    user_id    int NOT NULL REFERENCES chat.users (id) ON DELETE CASCADE,
    expires_at timestamptz NOT NULL,
    PRIMARY KEY (gateway_id, user_id),
    CONSTRAINT presence_sessions_gateway_id_length CHECK (char_length(gateway_id) BETWEEN 1 AND 100)
);
CREATE INDEX IF NOT EXISTS presence_sessions_user_id_idx ON chat.presence_sessions (user_id);
CREATE INDEX IF NOT EXISTS presence_sessions_expires_at_idx ON chat.presence_sessions (expires_at);

/**
 * Gateway p_gateway_id holds a socket of p_user_id, for p_ttl unless renewed: the user is online
 * (chat.set_presence emits the presence event when that is news).
 */
CREATE OR REPLACE FUNCTION chat.presence_connect(p_gateway_id text, p_user_id int, p_ttl interval)
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM chat.require_user(p_user_id);
    IF p_ttl IS NULL OR p_ttl <= interval '0' THEN
        RAISE EXCEPTION 'ttl must be positive (was %)', coalesce(p_ttl::text, 'NULL')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- One user's presence changes one at a time, whichever gateways race.
    PERFORM 1 FROM chat.users WHERE id = p_user_id FOR NO KEY UPDATE;
    INSERT INTO chat.presence_sessions (gateway_id, user_id, expires_at)
    VALUES (p_gateway_id, p_user_id, now() + p_ttl)
    ON CONFLICT (gateway_id, user_id) DO UPDATE SET expires_at = EXCLUDED.expires_at;
    PERFORM chat.set_presence(p_user_id, 'online');
END;
$$;

/**
 * Gateway p_gateway_id no longer holds a socket of p_user_id; the user goes offline unless another
 * gateway still holds one (not yet expired). Returns whether the user went offline.
 */
CREATE OR REPLACE FUNCTION chat.presence_disconnect(p_gateway_id text, p_user_id int) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM chat.users WHERE id = p_user_id FOR NO KEY UPDATE;
    DELETE FROM chat.presence_sessions WHERE gateway_id = p_gateway_id AND user_id = p_user_id;
    IF NOT FOUND OR EXISTS (SELECT 1 FROM chat.presence_sessions
                             WHERE user_id = p_user_id AND expires_at > now()) THEN
        RETURN false;
    END IF;
    PERFORM chat.set_presence(p_user_id, 'offline');
    RETURN true;
END;
$$;

/**
 * Renews every row of gateway p_gateway_id for p_ttl, then sweeps expired rows of any gateway:
 * their users go offline unless they still have a live row. Returns how many went offline.
 */
CREATE OR REPLACE FUNCTION chat.presence_renew(p_gateway_id text, p_ttl interval) RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
    v_user int;
    v_offline int := 0;
BEGIN
    IF p_ttl IS NULL OR p_ttl <= interval '0' THEN
        RAISE EXCEPTION 'ttl must be positive (was %)', coalesce(p_ttl::text, 'NULL')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    UPDATE chat.presence_sessions SET expires_at = now() + p_ttl WHERE gateway_id = p_gateway_id;
    FOR v_user IN
        SELECT DISTINCT user_id FROM chat.presence_sessions WHERE expires_at <= now() ORDER BY user_id
    LOOP
        PERFORM 1 FROM chat.users WHERE id = v_user FOR NO KEY UPDATE;
        DELETE FROM chat.presence_sessions WHERE user_id = v_user AND expires_at <= now();
        IF FOUND AND NOT EXISTS (SELECT 1 FROM chat.presence_sessions WHERE user_id = v_user) THEN
            PERFORM chat.set_presence(v_user, 'offline');
            v_offline := v_offline + 1;
        END IF;
    END LOOP;
    RETURN v_offline;
END;
$$;

/**
 * The assistant's latest replies in a channel p_user_id may read (message_type ai_suggestion),
 * newest first, at most p_limit (1 to 50): what the chat page offers as reply suggestions.
 */
CREATE OR REPLACE FUNCTION chat.get_reply_suggestions(p_user_id int, p_channel_id int, p_limit int)
RETURNS TABLE (message_id bigint, content text, metadata jsonb, created_at timestamptz)
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
BEGIN
    PERFORM chat.require_user(p_user_id);
    PERFORM chat.require_access(p_user_id, p_channel_id);
    IF p_limit IS NULL OR p_limit NOT BETWEEN 1 AND 50 THEN
        RAISE EXCEPTION 'limit must be between 1 and 50 (was %)', coalesce(p_limit::text, 'NULL')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN QUERY
    SELECT m.id, m.content, m.metadata, m.created_at
      FROM chat.messages m
     WHERE m.channel_id = p_channel_id AND m.message_type = 'ai_suggestion' AND m.deleted_at IS NULL
     ORDER BY m.id DESC
     LIMIT p_limit;
END;
$$;
