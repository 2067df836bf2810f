-- The chat proxy: the single-server chat API (schema chat, same function names and arguments)
-- as PL/Proxy functions that run each call on the partition that owns its data. Applied by
-- `bin/zgres migrate` with ZGRES_SCHEMA_ROLE=proxy; the cluster 'chat' itself is declared by
-- R__chat_cluster.sql. The proxy keeps no chat data.
--
-- Routing (PL/Proxy maps a hash h to partition h & (count - 1)):
--   by username   hashtext(lower(username)): register_user, login. Names equal in any case
--                 land on one partition, whose unique index refuses the second.
--   by id         the id itself: every id a partition hands out is its partition number
--                 modulo the count (R__chat_partition.sql), so users, channels and messages
--                 route by id with no lookup table.
--   a channel     lives, with its members, messages and reactions, on one partition: its
--                 owner's, or for a direct channel the partition of the pair's lower user id
--                 (so "one direct channel per pair" is one unique key on one partition).
--   all           get_new_messages asks every partition (a user's channels may be anywhere).
-- A NULL id or name routes to partition 0, which refuses it as the single server does.
--
-- Cross-partition calls: a proxy function may call several partitions, each in a transaction
-- of its own (PL/Proxy has no two-phase commit). Every function below reads first and writes in
-- one final call, on one partition, so a write is atomic. What it reads from other partitions
-- (chat_route.cards: who exists, usernames, friends_only, whether the receiver has the sender on
-- their friend list) is passed into that write and stored there as shadow rows in the same
-- transaction; the single-server function then checks it as usual. The check therefore sees the
-- other partition as of a few milliseconds before the write, like a message sent just before
-- the receiver changed their friend list.

CREATE EXTENSION IF NOT EXISTS plproxy;
CREATE SCHEMA IF NOT EXISTS chat;
CREATE SCHEMA IF NOT EXISTS chat_route;
CREATE SCHEMA IF NOT EXISTS chat_partition;

-- Hash functions --------------------------------------------------------------------------------

/** The hash of a user, channel or message id: the id itself (0 for NULL). */
CREATE OR REPLACE FUNCTION chat_route.by_id(p_id int) RETURNS int
LANGUAGE sql IMMUTABLE AS $$ SELECT coalesce(p_id, 0) $$;

/** The hash of a username: hashtext of its lower case (0 for NULL). */
CREATE OR REPLACE FUNCTION chat_route.by_name(p_username text) RETURNS int
LANGUAGE sql IMMUTABLE AS $$ SELECT coalesce(hashtext(lower(p_username)), 0) $$;

/** The hash of a pair of users: the lower id. */
CREATE OR REPLACE FUNCTION chat_route.by_pair(p_a int, p_b int) RETURNS int
LANGUAGE sql IMMUTABLE AS $$ SELECT coalesce(least(p_a, p_b), 0) $$;

/** The hash of a new channel: its owner's id; for a direct channel of two users, the lower id. */
CREATE OR REPLACE FUNCTION chat_route.new_channel(p_owner_id int, p_channel_type text, p_member_ids int[])
RETURNS int
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN p_channel_type = 'direct' AND p_owner_id IS NOT NULL
                     AND (SELECT count(DISTINCT m) FROM unnest(array_append(p_member_ids, p_owner_id)) AS m
                           WHERE m IS NOT NULL) = 2
                THEN (SELECT min(m) FROM unnest(array_append(p_member_ids, p_owner_id)) AS m)
                ELSE coalesce(p_owner_id, 0) END
$$;

-- Partition entry points (chat_partition.* on the partitions, see R__chat_partition.sql) --------

/** Cards of the users among p_ids, each read on its home partition. */
CREATE OR REPLACE FUNCTION chat_partition.user_cards(p_ids int[], p_viewer int)
RETURNS TABLE (id int, username text, friends_only boolean, accepts_viewer boolean)
LANGUAGE plproxy AS $$
    CLUSTER 'chat';
    SPLIT p_ids;
    RUN ON chat_route.by_id(p_ids);
$$;

CREATE OR REPLACE FUNCTION chat_partition.set_friends(p_user_id int, p_friend_ids int[], p_cards jsonb)
RETURNS void
LANGUAGE plproxy AS $$
    CLUSTER 'chat';
    RUN ON chat_route.by_id(p_user_id);
$$;

CREATE OR REPLACE FUNCTION chat_partition.create_channel(
    p_owner_id int, p_name text, p_channel_type text, p_member_ids int[], p_cards jsonb
) RETURNS int
LANGUAGE plproxy AS $$
    CLUSTER 'chat';
    RUN ON chat_route.new_channel(p_owner_id, p_channel_type, p_member_ids);
$$;

CREATE OR REPLACE FUNCTION chat_partition.join_channel(p_user_id int, p_channel_id int, p_cards jsonb)
RETURNS void
LANGUAGE plproxy AS $$
    CLUSTER 'chat';
    RUN ON chat_route.by_id(p_channel_id);
$$;

CREATE OR REPLACE FUNCTION chat_partition.direct_peer(p_channel_id int, p_user_id int) RETURNS int
LANGUAGE plproxy AS $$
    CLUSTER 'chat';
    RUN ON chat_route.by_id(p_channel_id);
$$;

CREATE OR REPLACE FUNCTION chat_partition.post_message_here(p_user_id int, p_channel_id int, p_content text)
RETURNS bigint
LANGUAGE plproxy AS $$
    CLUSTER 'chat';
    RUN ON chat_route.by_id(p_channel_id);
$$;

CREATE OR REPLACE FUNCTION chat_partition.send_direct_message_here(p_sender_id int, p_receiver_id int, p_body text)
RETURNS bigint
LANGUAGE plproxy AS $$
    CLUSTER 'chat';
    RUN ON chat_route.by_pair(p_sender_id, p_receiver_id);
$$;

CREATE OR REPLACE FUNCTION chat_partition.post_message(p_user_id int, p_channel_id int, p_content text, p_cards jsonb)
RETURNS bigint
LANGUAGE plproxy AS $$
    CLUSTER 'chat';
    RUN ON chat_route.by_id(p_channel_id);
$$;

CREATE OR REPLACE FUNCTION chat_partition.send_direct_message(
    p_sender_id int, p_receiver_id int, p_body text, p_cards jsonb
) RETURNS bigint
LANGUAGE plproxy AS $$
    CLUSTER 'chat';
    RUN ON chat_route.by_pair(p_sender_id, p_receiver_id);
$$;

CREATE OR REPLACE FUNCTION chat_partition.get_new_messages(p_user_id int)
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
LANGUAGE plproxy AS $$
    CLUSTER 'chat';
    RUN ON ALL;
$$;

/** chat.require_user on the user's home partition. */
CREATE OR REPLACE FUNCTION chat_partition.require_user(p_user_id int) RETURNS void
LANGUAGE plproxy AS $$
    CLUSTER 'chat';
    RUN ON chat_route.by_id(p_user_id);
    TARGET chat.require_user;
$$;

/** The cards of p_ids (NULLs and duplicates dropped) as one JSON array, for chat_partition.adopt. */
CREATE OR REPLACE FUNCTION chat_route.cards(p_ids int[], p_viewer int) RETURNS jsonb
LANGUAGE sql AS $$
    SELECT coalesce(jsonb_agg(to_jsonb(c) ORDER BY c.id), '[]')
      FROM chat_partition.user_cards(ARRAY(SELECT DISTINCT i FROM unnest(p_ids) AS i WHERE i IS NOT NULL),
                                     p_viewer) AS c
$$;

-- The chat API -----------------------------------------------------------------------------------
-- Each function calls the partitions through chat_partition.* and, when a partition refuses the
-- call, raises the partition's error again with its SQLSTATE and message as the single server
-- words it (PL/Proxy prefixes the message with the function and partition).

CREATE OR REPLACE FUNCTION chat_partition.register_user(p_username text, p_password text, p_email text) RETURNS int
LANGUAGE plproxy AS $$
    CLUSTER 'chat';
    RUN ON chat_route.by_name(p_username);
    TARGET chat.register_user;
$$;

CREATE OR REPLACE FUNCTION chat_partition.login(p_username text, p_password text) RETURNS int
LANGUAGE plproxy AS $$
    CLUSTER 'chat';
    RUN ON chat_route.by_name(p_username);
    TARGET chat.login;
$$;

CREATE OR REPLACE FUNCTION chat_partition.set_friends_only(p_user_id int, p_flag boolean) RETURNS void
LANGUAGE plproxy AS $$
    CLUSTER 'chat';
    RUN ON chat_route.by_id(p_user_id);
    TARGET chat.set_friends_only;
$$;

CREATE OR REPLACE FUNCTION chat_partition.get_friends(p_user_id int) RETURNS TABLE (friend_id int, username text)
LANGUAGE plproxy AS $$
    CLUSTER 'chat';
    RUN ON chat_route.by_id(p_user_id);
    TARGET chat.get_friends;
$$;

CREATE OR REPLACE FUNCTION chat_partition.get_recent_messages(p_channel_id int, p_limit int)
RETURNS TABLE (
    message_id   bigint,
    user_id      int,
    username     text,
    content      text,
    message_type text,
    created_at   timestamptz,
    edited_at    timestamptz
)
LANGUAGE plproxy AS $$
    CLUSTER 'chat';
    RUN ON chat_route.by_id(p_channel_id);
    TARGET chat.get_recent_messages;
$$;

/** Raises a partition's error as the single server raised it: same SQLSTATE, message without PL/Proxy's prefix. */
CREATE OR REPLACE FUNCTION chat_route.reraise(p_sqlstate text, p_message text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = p_sqlstate,
        MESSAGE = regexp_replace(p_message, '^[A-Za-z0-9_.]+\([0-9]+\): \[[^]]*\] REMOTE ERROR: ', '');
END;
$$;

CREATE OR REPLACE FUNCTION chat.register_user(p_username text, p_password text, p_email text) RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
    v_state text;
    v_message text;
BEGIN
    RETURN chat_partition.register_user(p_username, p_password, p_email);
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT;
    PERFORM chat_route.reraise(v_state, v_message);
END;
$$;

CREATE OR REPLACE FUNCTION chat.login(p_username text, p_password text) RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
    v_state text;
    v_message text;
BEGIN
    RETURN chat_partition.login(p_username, p_password);
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT;
    PERFORM chat_route.reraise(v_state, v_message);
END;
$$;

CREATE OR REPLACE FUNCTION chat.set_friends_only(p_user_id int, p_flag boolean) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_state text;
    v_message text;
BEGIN
    PERFORM chat_partition.set_friends_only(p_user_id, p_flag);
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT;
    PERFORM chat_route.reraise(v_state, v_message);
END;
$$;

CREATE OR REPLACE FUNCTION chat.get_friends(p_user_id int) RETURNS TABLE (friend_id int, username text)
LANGUAGE plpgsql AS $$
DECLARE
    v_state text;
    v_message text;
BEGIN
    RETURN QUERY SELECT f.* FROM chat_partition.get_friends(p_user_id) AS f;
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT;
    PERFORM chat_route.reraise(v_state, v_message);
END;
$$;

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
LANGUAGE plpgsql AS $$
DECLARE
    v_state text;
    v_message text;
BEGIN
    RETURN QUERY SELECT m.* FROM chat_partition.get_recent_messages(p_channel_id, p_limit) AS m;
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT;
    PERFORM chat_route.reraise(v_state, v_message);
END;
$$;

/** Friends may live on any partition: their cards come from their homes. */
CREATE OR REPLACE FUNCTION chat.set_friends(p_user_id int, p_friend_ids int[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_state text;
    v_message text;
BEGIN
    PERFORM chat_partition.set_friends(p_user_id, p_friend_ids, chat_route.cards(p_friend_ids, NULL));
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT;
    PERFORM chat_route.reraise(v_state, v_message);
END;
$$;

/** On the owner's partition (a direct channel: the pair's), with the members' cards. */
CREATE OR REPLACE FUNCTION chat.create_channel(
    p_owner_id int, p_name text, p_channel_type text, p_member_ids int[]
) RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
    v_state text;
    v_message text;
BEGIN
    RETURN chat_partition.create_channel(p_owner_id, p_name, p_channel_type, p_member_ids,
                                         chat_route.cards(array_append(p_member_ids, p_owner_id), p_owner_id));
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT;
    PERFORM chat_route.reraise(v_state, v_message);
END;
$$;

CREATE OR REPLACE FUNCTION chat.join_channel(p_user_id int, p_channel_id int) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_state text;
    v_message text;
BEGIN
    PERFORM chat_partition.join_channel(p_user_id, p_channel_id, chat_route.cards(ARRAY[p_user_id], NULL));
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT;
    PERFORM chat_route.reraise(v_state, v_message);
END;
$$;

/**
 * On the channel's partition: in one call when the poster (and a direct channel's peer) live
 * there; else with their cards, the peer's carrying their friend-list entry for the poster.
 */
CREATE OR REPLACE FUNCTION chat.post_message(p_user_id int, p_channel_id int, p_content text) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_id bigint;
    v_peer int;
    v_state text;
    v_message text;
BEGIN
    v_id := chat_partition.post_message_here(p_user_id, p_channel_id, p_content);
    IF v_id IS NOT NULL THEN
        RETURN v_id;
    END IF;
    v_peer := chat_partition.direct_peer(p_channel_id, p_user_id);
    RETURN chat_partition.post_message(p_user_id, p_channel_id, p_content,
                                       chat_route.cards(ARRAY[p_user_id, v_peer], p_user_id));
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT;
    PERFORM chat_route.reraise(v_state, v_message);
END;
$$;

/** On the pair's partition: in one call when both users live there, else with both cards. */
CREATE OR REPLACE FUNCTION chat.send_direct_message(p_sender_id int, p_receiver_id int, p_body text) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_id bigint;
    v_state text;
    v_message text;
BEGIN
    v_id := chat_partition.send_direct_message_here(p_sender_id, p_receiver_id, p_body);
    IF v_id IS NOT NULL THEN
        RETURN v_id;
    END IF;
    RETURN chat_partition.send_direct_message(p_sender_id, p_receiver_id, p_body,
                                              chat_route.cards(ARRAY[p_sender_id, p_receiver_id], p_sender_id));
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT;
    PERFORM chat_route.reraise(v_state, v_message);
END;
$$;

/**
 * The unread messages of every partition, each marked read there. Ordered by message id, which
 * is the order of each channel (a channel lives on one partition); ids of different partitions
 * interleave in no particular order. Each partition marks its messages read in its own
 * transaction: if one partition fails, the call fails, and the messages another partition
 * marked read in that call are not returned again (at most once, like a lost HTTP response).
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
DECLARE
    v_state text;
    v_message text;
BEGIN
    PERFORM chat_partition.require_user(p_user_id);
    RETURN QUERY SELECT m.* FROM chat_partition.get_new_messages(p_user_id) AS m ORDER BY m.message_id;
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT;
    PERFORM chat_route.reraise(v_state, v_message);
END;
$$;

-- The cluster -------------------------------------------------------------------------------------

/**
 * Declares the PL/Proxy cluster 'chat' as an SQL/MED server with one option p<N> per partition
 * (p_partitions: libpq connection strings separated by '|', in partition order, a power of two of
 * them) and a user mapping with which every role on the proxy logs in to the partitions.
 */
CREATE OR REPLACE FUNCTION chat_route.declare_cluster(p_partitions text, p_user text, p_password text)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_partitions text[] := string_to_array(p_partitions, '|');
    v_count int := coalesce(cardinality(string_to_array(p_partitions, '|')), 0);
    v_options text;
BEGIN
    IF v_count < 1 OR (v_count & (v_count - 1)) <> 0 THEN
        RAISE EXCEPTION 'plproxy partitions: the count must be a power of two (was %: %)', v_count,
            coalesce(p_partitions, 'NULL')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT string_agg(format('p%s %L', i - 1, btrim(v_partitions[i])), ', ' ORDER BY i) INTO v_options
      FROM generate_subscripts(v_partitions, 1) AS i;
    DROP SERVER IF EXISTS chat CASCADE;
    EXECUTE format('CREATE SERVER chat FOREIGN DATA WRAPPER plproxy OPTIONS (connection_lifetime %L, %s)',
                   '1800', v_options);
    EXECUTE format('CREATE USER MAPPING FOR PUBLIC SERVER chat OPTIONS (user %L, password %L)',
                   p_user, coalesce(p_password, ''));
END;
$$;
