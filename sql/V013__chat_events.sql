-- Chat events: the triggers that publish what happens in the chat, all through zgres.emit, and
-- the WebSocket events (typing, presence). Idempotent: safe to re-run.
--
-- Channel chat_message_<channel_id> (JSON object, "event" says which):
--   message_created   message_id, channel_id, user_id, username, content, message_type, created_at
--   message_edited    message_id, channel_id, user_id, content, edited_at
--   message_deleted   message_id, channel_id, user_id, deleted_at
--   reaction_added    message_id, channel_id, user_id, reaction, created_at
--   reaction_removed  message_id, channel_id, user_id, reaction
-- Channel websocket_event:
--   event_id, event_type, channel_id, user_id, data (the event's own fields), created_at;
--   channel_id is null for events that belong to no channel (presence).
-- chat_message_<id> is registered with zgres.register_channel when the channel is created (in
-- the same transaction, so the core relays its first messages until a bridge LISTENs on it) and
-- unregistered when the channel is deleted.

CREATE OR REPLACE FUNCTION chat.message_channel(p_channel_id int) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT 'chat_message_' || p_channel_id;
$$;

CREATE OR REPLACE FUNCTION chat.on_channel_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM zgres.register_channel(chat.message_channel(NEW.id));
        RETURN NEW;
    END IF;
    PERFORM zgres.unregister_channel(chat.message_channel(OLD.id));
    RETURN OLD;
END;
$$;

CREATE OR REPLACE TRIGGER channels_register AFTER INSERT OR DELETE ON chat.channels
    FOR EACH ROW EXECUTE FUNCTION chat.on_channel_change();

CREATE OR REPLACE FUNCTION chat.on_message_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM zgres.emit(chat.message_channel(NEW.channel_id), jsonb_build_object(
        'event', 'message_created',
        'message_id', NEW.id,
        'channel_id', NEW.channel_id,
        'user_id', NEW.user_id,
        'username', (SELECT username FROM chat.users WHERE id = NEW.user_id),
        'content', NEW.content,
        'message_type', NEW.message_type,
        'created_at', NEW.created_at)::text);
    RETURN NEW;
END;
$$;

CREATE OR REPLACE TRIGGER messages_emit_created AFTER INSERT ON chat.messages
    FOR EACH ROW EXECUTE FUNCTION chat.on_message_insert();

/**
 * Queues a request for the assistant when a user's message mentions @ai or contains the word
 * "help" (any case); with the word "urgent" it gets priority 1, else 5. Only the queue row is
 * written here: AI workers compute embeddings and replies outside the writer's transaction.
 */
CREATE OR REPLACE FUNCTION chat.queue_ai_request() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.content ~* '(^|[^[:alnum:]_])@ai\M' OR NEW.content ~* '\mhelp\M' THEN
        INSERT INTO chat.ai_response_queue (message_id, channel_id, priority)
        VALUES (NEW.id, NEW.channel_id, CASE WHEN NEW.content ~* '\murgent\M' THEN 1 ELSE 5 END)
        ON CONFLICT (message_id) DO NOTHING;
    END IF;
    RETURN NEW;
END;
$$;

CREATE OR REPLACE TRIGGER messages_queue_ai AFTER INSERT ON chat.messages
    FOR EACH ROW WHEN (NEW.message_type = 'user') EXECUTE FUNCTION chat.queue_ai_request();

/** Stamps edited_at when the content changes; a deleted message stays deleted and unchanged. */
CREATE OR REPLACE FUNCTION chat.before_message_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.deleted_at IS NOT NULL
       AND (NEW.deleted_at IS DISTINCT FROM OLD.deleted_at OR NEW.content IS DISTINCT FROM OLD.content) THEN
        RAISE EXCEPTION 'message % was deleted and can no longer change', OLD.id
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    IF NEW.content IS DISTINCT FROM OLD.content THEN
        NEW.edited_at := now();
    END IF;
    RETURN NEW;
END;
$$;

CREATE OR REPLACE TRIGGER messages_stamp_edit BEFORE UPDATE ON chat.messages
    FOR EACH ROW EXECUTE FUNCTION chat.before_message_update();

CREATE OR REPLACE FUNCTION chat.on_message_update() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    v_payload jsonb;
BEGIN
    IF OLD.deleted_at IS NULL AND NEW.deleted_at IS NOT NULL THEN
        v_payload := jsonb_build_object(
            'event', 'message_deleted',
            'message_id', NEW.id,
            'channel_id', NEW.channel_id,
            'user_id', NEW.user_id,
            'deleted_at', NEW.deleted_at);
    ELSE
        v_payload := jsonb_build_object(
            'event', 'message_edited',
            'message_id', NEW.id,
            'channel_id', NEW.channel_id,
            'user_id', NEW.user_id,
            'content', NEW.content,
            'edited_at', NEW.edited_at);
    END IF;
    PERFORM zgres.emit(chat.message_channel(NEW.channel_id), v_payload::text);
    RETURN NEW;
END;
$$;

-- Only edits and deletions are news; analysis results (embedding, sentiment, metadata) are not.
CREATE OR REPLACE TRIGGER messages_emit_changed AFTER UPDATE ON chat.messages
    FOR EACH ROW
    WHEN (OLD.content IS DISTINCT FROM NEW.content OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at)
    EXECUTE FUNCTION chat.on_message_update();

CREATE OR REPLACE FUNCTION chat.on_reaction_change() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    v_channel_id int;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT channel_id INTO v_channel_id FROM chat.messages WHERE id = NEW.message_id;
        PERFORM zgres.emit(chat.message_channel(v_channel_id), jsonb_build_object(
            'event', 'reaction_added',
            'message_id', NEW.message_id,
            'channel_id', v_channel_id,
            'user_id', NEW.user_id,
            'reaction', NEW.reaction,
            'created_at', NEW.created_at)::text);
        RETURN NEW;
    END IF;
    -- When the message itself is being removed (cascade), there is nothing left to update.
    SELECT channel_id INTO v_channel_id FROM chat.messages WHERE id = OLD.message_id;
    IF FOUND THEN
        PERFORM zgres.emit(chat.message_channel(v_channel_id), jsonb_build_object(
            'event', 'reaction_removed',
            'message_id', OLD.message_id,
            'channel_id', v_channel_id,
            'user_id', OLD.user_id,
            'reaction', OLD.reaction)::text);
    END IF;
    RETURN OLD;
END;
$$;

CREATE OR REPLACE TRIGGER reactions_emit AFTER INSERT OR DELETE ON chat.reactions
    FOR EACH ROW EXECUTE FUNCTION chat.on_reaction_change();

CREATE OR REPLACE FUNCTION chat.on_websocket_event() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM zgres.emit('websocket_event', jsonb_build_object(
        'event_id', NEW.id,
        'event_type', NEW.event_type,
        'channel_id', NEW.channel_id,
        'user_id', NEW.user_id,
        'data', NEW.payload,
        'created_at', NEW.created_at)::text);
    RETURN NEW;
END;
$$;

CREATE OR REPLACE TRIGGER websocket_events_emit AFTER INSERT ON chat.websocket_events
    FOR EACH ROW EXECUTE FUNCTION chat.on_websocket_event();

/**
 * Records an event for WebSocket clients and emits it on websocket_event (by the trigger above).
 * p_event_type: lower-case letters, digits and underscores, at most 50; p_channel_id: the channel
 * it concerns, or NULL for none (the bridge keys Kafka records by it); p_payload: a JSON object,
 * published as "data"; p_user_id: the user it is about, or NULL. Returns the event's id.
 */
CREATE OR REPLACE FUNCTION chat.queue_websocket_event(
    p_event_type text, p_channel_id int, p_payload jsonb, p_user_id int DEFAULT NULL
) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_id bigint;
BEGIN
    IF p_event_type IS NULL OR p_event_type !~ '^[a-z][a-z0-9_]{0,49}$' THEN
        RAISE EXCEPTION 'event_type must be 1 to 50 lower-case letters, digits or underscores, starting with a letter (was %)',
            chat.shown(p_event_type)
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_payload IS NOT NULL AND jsonb_typeof(p_payload) <> 'object' THEN
        RAISE EXCEPTION 'payload must be a JSON object (was a JSON %)', jsonb_typeof(p_payload)
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_channel_id IS NOT NULL THEN
        PERFORM chat.require_channel(p_channel_id);
    END IF;
    IF p_user_id IS NOT NULL THEN
        PERFORM chat.require_user(p_user_id);
    END IF;
    INSERT INTO chat.websocket_events (event_type, channel_id, user_id, payload)
    VALUES (p_event_type, p_channel_id, p_user_id, coalesce(p_payload, '{}'))
    RETURNING id INTO v_id;
    RETURN v_id;
END;
$$;

/**
 * Typing indicator: records (or clears) that p_user_id is typing in a channel they may post in
 * and emits a typing_indicator event with data {user_id, is_typing}.
 */
CREATE OR REPLACE FUNCTION chat.handle_typing_indicator(p_channel_id int, p_user_id int, p_is_typing boolean)
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM chat.require_user(p_user_id);
    PERFORM chat.require_access(p_user_id, p_channel_id);
    IF p_is_typing IS NULL THEN
        RAISE EXCEPTION 'is_typing must not be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF p_is_typing THEN
        INSERT INTO chat.typing_indicators (channel_id, user_id) VALUES (p_channel_id, p_user_id)
        ON CONFLICT (channel_id, user_id) DO UPDATE SET signalled_at = EXCLUDED.signalled_at;
    ELSE
        DELETE FROM chat.typing_indicators WHERE channel_id = p_channel_id AND user_id = p_user_id;
    END IF;
    PERFORM chat.queue_websocket_event('typing_indicator', p_channel_id,
        jsonb_build_object('user_id', p_user_id, 'is_typing', p_is_typing), p_user_id);
END;
$$;

/** Users who signalled typing in the channel within p_max_age, oldest signal first. */
CREATE OR REPLACE FUNCTION chat.get_typing_users(p_channel_id int, p_max_age interval DEFAULT '10 seconds')
RETURNS TABLE (user_id int, username text, signalled_at timestamptz)
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
BEGIN
    PERFORM chat.require_channel(p_channel_id);
    RETURN QUERY
    SELECT t.user_id, u.username, t.signalled_at
      FROM chat.typing_indicators t JOIN chat.users u ON u.id = t.user_id
     WHERE t.channel_id = p_channel_id AND t.signalled_at >= now() - p_max_age
     ORDER BY t.signalled_at, t.user_id;
END;
$$;

/**
 * Sets a user's presence (online, away, busy or offline) and last_seen. When the status changes
 * it emits a presence event with data {status, previous_status} and channel_id null: presence
 * belongs to the user, not to a channel.
 */
CREATE OR REPLACE FUNCTION chat.set_presence(p_user_id int, p_status text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_previous text;
BEGIN
    PERFORM chat.require_user(p_user_id);
    IF p_status IS NULL OR p_status NOT IN ('online', 'away', 'busy', 'offline') THEN
        RAISE EXCEPTION 'status must be online, away, busy or offline (was %)', chat.shown(p_status)
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT status INTO v_previous FROM chat.users WHERE id = p_user_id FOR NO KEY UPDATE;
    UPDATE chat.users SET status = p_status, last_seen = now() WHERE id = p_user_id;
    IF v_previous IS DISTINCT FROM p_status THEN
        PERFORM chat.queue_websocket_event('presence', NULL,
            jsonb_build_object('status', p_status, 'previous_status', v_previous), p_user_id);
    END IF;
END;
$$;
