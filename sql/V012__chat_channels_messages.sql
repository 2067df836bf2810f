-- Chat channels and messages: create and join channels, post, send direct messages, read new
-- and recent messages, edit, delete, react. The events these writes cause are emitted by the
-- triggers of V013. Idempotent: safe to re-run.
--
-- Who may do what:
--   public channels   anyone may read, post (and is then a member) and react;
--   private channels  members only;
--   direct channels   their two members only, and a member whose friends_only flag is set
--                     hears only from users on their friend list.

/** Raises no_data_found unless the channel exists; returns its type. */
CREATE OR REPLACE FUNCTION chat.require_channel(p_channel_id int) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_type text;
BEGIN
    IF p_channel_id IS NULL THEN
        RAISE EXCEPTION 'channel_id must not be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    SELECT channel_type INTO v_type FROM chat.channels WHERE id = p_channel_id;
    IF v_type IS NULL THEN
        RAISE EXCEPTION 'channel_id %: no such channel', p_channel_id USING ERRCODE = 'no_data_found';
    END IF;
    RETURN v_type;
END;
$$;

/**
 * Raises insufficient_privilege unless p_user_id may use the channel: anyone for a public
 * channel, members only for private and direct ones. Returns the channel's type.
 */
CREATE OR REPLACE FUNCTION chat.require_access(p_user_id int, p_channel_id int) RETURNS text
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_type text := chat.require_channel(p_channel_id);
BEGIN
    IF v_type <> 'public' AND NOT EXISTS (
        SELECT 1 FROM chat.channel_members WHERE channel_id = p_channel_id AND user_id = p_user_id) THEN
        RAISE EXCEPTION 'user % is not a member of % channel %', p_user_id, v_type, p_channel_id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN v_type;
END;
$$;

/** Raises insufficient_privilege when p_receiver_id takes messages from friends only and p_sender_id is not one. */
CREATE OR REPLACE FUNCTION chat.require_may_message(p_sender_id int, p_receiver_id int) RETURNS void
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM chat.users WHERE id = p_receiver_id AND friends_only)
       AND NOT EXISTS (SELECT 1 FROM chat.friends WHERE user_id = p_receiver_id AND friend_id = p_sender_id) THEN
        RAISE EXCEPTION 'user % accepts direct messages from friends only, and user % is not on their friend list',
            p_receiver_id, p_sender_id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
END;
$$;

/** Raises invalid_parameter_value unless p_content is a valid message body: not blank, at most 4000 characters. */
CREATE OR REPLACE FUNCTION chat.check_content(p_content text, p_field text DEFAULT 'content') RETURNS void
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF p_content IS NULL OR btrim(p_content, E' \t\r\n') = '' THEN
        RAISE EXCEPTION 'message % must not be empty', p_field USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF char_length(p_content) > 4000 THEN
        RAISE EXCEPTION 'message % must be at most 4000 characters (was %)', p_field, char_length(p_content)
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
END;
$$;

/**
 * Creates a channel owned by p_owner_id and returns its id. The owner is always a member, with
 * p_member_ids (may be NULL or empty; duplicates ignored). p_channel_type is public, private or
 * direct; a direct channel has exactly two members, the owner included, at most one per pair of
 * users, and the other member's friends_only setting applies as for send_direct_message.
 */
CREATE OR REPLACE FUNCTION chat.create_channel(
    p_owner_id int, p_name text, p_channel_type text, p_member_ids int[]
) RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
    v_members int[];
    v_unknown text;
    v_id int;
    v_existing int;
    v_constraint text;
BEGIN
    PERFORM chat.require_user(p_owner_id, 'owner_id');
    IF p_name IS NULL OR btrim(p_name) = '' THEN
        RAISE EXCEPTION 'channel name must not be empty' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF char_length(p_name) > 100 THEN
        RAISE EXCEPTION 'channel name must be at most 100 characters (was %)', char_length(p_name)
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_channel_type IS NULL OR p_channel_type NOT IN ('public', 'private', 'direct') THEN
        RAISE EXCEPTION 'channel_type must be public, private or direct (was %)', chat.shown(p_channel_type)
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF array_position(p_member_ids, NULL) IS NOT NULL THEN
        RAISE EXCEPTION 'member_ids must not contain NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    v_members := ARRAY(SELECT DISTINCT m FROM unnest(array_append(coalesce(p_member_ids, '{}'), p_owner_id)) AS m
                       ORDER BY m);
    SELECT string_agg(m::text, ', ' ORDER BY m) INTO v_unknown
      FROM unnest(v_members) AS m
     WHERE NOT EXISTS (SELECT 1 FROM chat.users u WHERE u.id = m);
    IF v_unknown IS NOT NULL THEN
        RAISE EXCEPTION 'member_ids contains unknown user ids: %', v_unknown USING ERRCODE = 'no_data_found';
    END IF;

    IF p_channel_type = 'direct' THEN
        IF cardinality(v_members) <> 2 THEN
            RAISE EXCEPTION 'a direct channel must have exactly 2 members, the owner included (was %)',
                cardinality(v_members)
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        PERFORM chat.require_may_message(p_owner_id, m) FROM unnest(v_members) AS m WHERE m <> p_owner_id;
        BEGIN
            INSERT INTO chat.channels (name, channel_type, owner_id, direct_user_a, direct_user_b)
            VALUES (p_name, 'direct', p_owner_id, v_members[1], v_members[2])
            RETURNING id INTO v_id;
        EXCEPTION WHEN unique_violation THEN
            GET STACKED DIAGNOSTICS v_constraint = CONSTRAINT_NAME;
            IF v_constraint <> 'channels_direct_pair_key' THEN
                RAISE;
            END IF;
            SELECT id INTO v_existing FROM chat.channels
             WHERE direct_user_a = v_members[1] AND direct_user_b = v_members[2];
            RAISE EXCEPTION 'users % and % already have a direct channel (id %)', v_members[1], v_members[2], v_existing
                USING ERRCODE = 'unique_violation';
        END;
    ELSE
        INSERT INTO chat.channels (name, channel_type, owner_id)
        VALUES (p_name, p_channel_type, p_owner_id)
        RETURNING id INTO v_id;
    END IF;

    INSERT INTO chat.channel_members (channel_id, user_id, role)
    SELECT v_id, m, CASE WHEN m = p_owner_id THEN 'owner' ELSE 'member' END
      FROM unnest(v_members) AS m;
    RETURN v_id;
END;
$$;

/** Makes p_user_id a member of a public channel (nothing happens if already one). */
CREATE OR REPLACE FUNCTION chat.join_channel(p_user_id int, p_channel_id int) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_type text;
BEGIN
    PERFORM chat.require_user(p_user_id);
    v_type := chat.require_channel(p_channel_id);
    IF v_type <> 'public' THEN
        RAISE EXCEPTION 'channel % is %: only public channels can be joined', p_channel_id, v_type
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    INSERT INTO chat.channel_members (channel_id, user_id) VALUES (p_channel_id, p_user_id)
    ON CONFLICT DO NOTHING;
END;
$$;

/**
 * Posts p_content (1 to 4000 characters, not blank, stored verbatim) in a channel and returns the
 * message id. Members only in private and direct channels; posting in a public channel makes the
 * poster a member.
 */
CREATE OR REPLACE FUNCTION chat.post_message(p_user_id int, p_channel_id int, p_content text) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_type text;
    v_other int;
    v_id bigint;
BEGIN
    PERFORM chat.require_user(p_user_id);
    v_type := chat.require_access(p_user_id, p_channel_id);
    PERFORM chat.check_content(p_content);
    IF v_type = 'direct' THEN
        SELECT CASE WHEN direct_user_a = p_user_id THEN direct_user_b ELSE direct_user_a END INTO v_other
          FROM chat.channels WHERE id = p_channel_id;
        PERFORM chat.require_may_message(p_user_id, v_other);
    ELSIF v_type = 'public' THEN
        INSERT INTO chat.channel_members (channel_id, user_id) VALUES (p_channel_id, p_user_id)
        ON CONFLICT DO NOTHING;
    END IF;
    INSERT INTO chat.messages (channel_id, user_id, content, message_type)
    VALUES (p_channel_id, p_user_id, p_content, 'user')
    RETURNING id INTO v_id;
    RETURN v_id;
END;
$$;

/**
 * Sends p_body to p_receiver_id in the pair's direct channel, creating the channel on first use
 * (safe when both users write at the same moment: the pair is a unique key). Refused when the
 * receiver takes messages from friends only and the sender is not on their list.
 */
CREATE OR REPLACE FUNCTION chat.send_direct_message(p_sender_id int, p_receiver_id int, p_body text) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_a int := least(p_sender_id, p_receiver_id);
    v_b int := greatest(p_sender_id, p_receiver_id);
    v_channel int;
BEGIN
    PERFORM chat.require_user(p_sender_id, 'sender_id');
    PERFORM chat.require_user(p_receiver_id, 'receiver_id');
    IF p_sender_id = p_receiver_id THEN
        RAISE EXCEPTION 'receiver_id must differ from sender_id (both %)', p_sender_id
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    PERFORM chat.check_content(p_body, 'body');
    PERFORM chat.require_may_message(p_sender_id, p_receiver_id);

    INSERT INTO chat.channels (name, channel_type, owner_id, direct_user_a, direct_user_b)
    VALUES (format('direct:%s:%s', v_a, v_b), 'direct', p_sender_id, v_a, v_b)
    ON CONFLICT (direct_user_a, direct_user_b) DO NOTHING
    RETURNING id INTO v_channel;
    IF v_channel IS NULL THEN
        SELECT id INTO STRICT v_channel FROM chat.channels WHERE direct_user_a = v_a AND direct_user_b = v_b;
    END IF;
    INSERT INTO chat.channel_members (channel_id, user_id, role)
    VALUES (v_channel, p_sender_id, 'owner'), (v_channel, p_receiver_id, 'member')
    ON CONFLICT DO NOTHING;

    RETURN chat.post_message(p_sender_id, v_channel, p_body);
END;
$$;

/**
 * The book's "retrieve new messages": every message not yet read by p_user_id in the channels
 * they are a member of, except their own and deleted ones, oldest first. Each is marked read
 * (chat.message_reads, read_at = now) as it is returned, so the next call returns only newer
 * messages; two concurrent calls never return the same message.
 */
CREATE OR REPLACE FUNCTION chat.get_new_messages(p_user_id int)
RETURNS TABLE (
    message_id      bigint,
    channel_id      int,
    sender_id       int,
    sender_username text,
    content         text,
    message_type    text,
    created_at      timestamptz,
    read_at         timestamptz
)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
BEGIN
    PERFORM chat.require_user(p_user_id);
    RETURN QUERY
    WITH unread AS (
        SELECT m.id
          FROM chat.channel_members cm
          JOIN chat.messages m ON m.channel_id = cm.channel_id
         WHERE cm.user_id = p_user_id
           AND m.user_id IS DISTINCT FROM p_user_id
           AND m.deleted_at IS NULL
           AND NOT EXISTS (SELECT 1 FROM chat.message_reads r
                            WHERE r.user_id = p_user_id AND r.message_id = m.id)
    ), marked AS (
        INSERT INTO chat.message_reads (user_id, message_id, read_at)
        SELECT p_user_id, id, now() FROM unread
        ON CONFLICT DO NOTHING
        RETURNING message_id, read_at
    )
    SELECT m.id, m.channel_id, m.user_id, u.username, m.content, m.message_type, m.created_at, k.read_at
      FROM marked k
      JOIN chat.messages m ON m.id = k.message_id
      LEFT JOIN chat.users u ON u.id = m.user_id
     ORDER BY m.id;
END;
$$;

/**
 * The latest p_limit (1 to 1000) messages of a channel that are not deleted, newest first. The
 * caller checks that its user may read the channel (chat.require_access).
 */
CREATE OR REPLACE FUNCTION chat.get_recent_messages(p_channel_id int, p_limit int DEFAULT 50)
RETURNS TABLE (
    message_id   bigint,
    user_id      int,
    username     text,
    content      text,
    message_type text,
    created_at   timestamptz,
    edited_at    timestamptz
)
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
BEGIN
    PERFORM chat.require_channel(p_channel_id);
    IF p_limit IS NULL OR p_limit NOT BETWEEN 1 AND 1000 THEN
        RAISE EXCEPTION 'limit must be between 1 and 1000 (was %)', coalesce(p_limit::text, 'NULL')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN QUERY
    SELECT m.id, m.user_id, u.username, m.content, m.message_type, m.created_at, m.edited_at
      FROM chat.messages m
      LEFT JOIN chat.users u ON u.id = m.user_id
     WHERE m.channel_id = p_channel_id AND m.deleted_at IS NULL
     ORDER BY m.id DESC
     LIMIT p_limit;
END;
$$;

/** Locks and returns a message that is not deleted, or raises. */
CREATE OR REPLACE FUNCTION chat.lock_live_message(p_message_id bigint) RETURNS chat.messages
LANGUAGE plpgsql AS $$
DECLARE
    v_message chat.messages;
BEGIN
    IF p_message_id IS NULL THEN
        RAISE EXCEPTION 'message_id must not be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    SELECT * INTO v_message FROM chat.messages WHERE id = p_message_id FOR NO KEY UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'message_id %: no such message', p_message_id USING ERRCODE = 'no_data_found';
    END IF;
    IF v_message.deleted_at IS NOT NULL THEN
        RAISE EXCEPTION 'message % was deleted', p_message_id USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    RETURN v_message;
END;
$$;

/** Replaces the text of one's own message (edited_at is set by a trigger); same rules as post_message. */
CREATE OR REPLACE FUNCTION chat.edit_message(p_user_id int, p_message_id bigint, p_content text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_message chat.messages;
BEGIN
    PERFORM chat.require_user(p_user_id);
    v_message := chat.lock_live_message(p_message_id);
    IF v_message.user_id IS DISTINCT FROM p_user_id THEN
        RAISE EXCEPTION 'user % may not edit message %: only its author may', p_user_id, p_message_id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM chat.check_content(p_content);
    UPDATE chat.messages SET content = p_content WHERE id = p_message_id AND content IS DISTINCT FROM p_content;
END;
$$;

/**
 * Soft-deletes a message (deleted_at); its author may, and so may the owner of a public or private
 * channel. Deleting twice is refused.
 */
CREATE OR REPLACE FUNCTION chat.delete_message(p_user_id int, p_message_id bigint) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_message chat.messages;
BEGIN
    PERFORM chat.require_user(p_user_id);
    v_message := chat.lock_live_message(p_message_id);
    IF v_message.user_id IS DISTINCT FROM p_user_id
       AND NOT EXISTS (SELECT 1 FROM chat.channels
                        WHERE id = v_message.channel_id AND owner_id = p_user_id AND channel_type <> 'direct') THEN
        RAISE EXCEPTION 'user % may not delete message %: only its author or the channel owner may',
            p_user_id, p_message_id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    UPDATE chat.messages SET deleted_at = now() WHERE id = p_message_id;
END;
$$;

/** Adds a reaction (1 to 50 characters, verbatim); returns false if the user had already given it. */
CREATE OR REPLACE FUNCTION chat.add_reaction(p_user_id int, p_message_id bigint, p_reaction text) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    v_message chat.messages;
BEGIN
    PERFORM chat.require_user(p_user_id);
    IF p_reaction IS NULL OR btrim(p_reaction) = '' OR char_length(p_reaction) > 50 THEN
        RAISE EXCEPTION 'reaction must be 1 to 50 characters, not blank (was %)', chat.shown(p_reaction)
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    v_message := chat.lock_live_message(p_message_id);
    PERFORM chat.require_access(p_user_id, v_message.channel_id);
    INSERT INTO chat.reactions (message_id, user_id, reaction) VALUES (p_message_id, p_user_id, p_reaction)
    ON CONFLICT DO NOTHING;
    RETURN FOUND;
END;
$$;

/** Removes one's reaction; returns false if there was none. */
CREATE OR REPLACE FUNCTION chat.remove_reaction(p_user_id int, p_message_id bigint, p_reaction text) RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM chat.require_user(p_user_id);
    DELETE FROM chat.reactions WHERE message_id = p_message_id AND user_id = p_user_id AND reaction = p_reaction;
    RETURN FOUND;
END;
$$;
