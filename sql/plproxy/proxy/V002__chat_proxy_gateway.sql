-- The chat functions the WebSocket gateway calls beyond V001 (sql/V017__chat_gateway.sql and
-- chat.handle_typing_indicator of V013), as PL/Proxy functions with the single server's names,
-- arguments, results and errors, so that the gateway runs unchanged with its JDBC URL on the
-- proxy. Idempotent: safe to re-run. The partitions' side is partition/R__chat_partition_gateway.sql.
--
-- Routing:
--   a channel's calls   read_access, get_history, get_reply_suggestions, handle_typing_indicator,
--                       leave_channel, remove_member run on the channel's partition (hash = the
--                       channel id). The users they name must have a row there (a member always
--                       has: at home or as a shadow); chat_route.cards_for asks the channel's
--                       partition first and reads the cards of the missing ones at their homes
--                       only when needed (a non-member reading or typing in a public channel).
--   a user's channels   get_my_channels checks the user at home, then asks every partition
--                       (RUN ON ALL): public channels live anywhere, and the user is a member,
--                       as a shadow, of channels on other partitions. Merged by channel id.
--   presence            lives on the user's home partition (hash = the user id): presence_connect
--                       and presence_disconnect run there; users.status, last_seen and the
--                       presence event come from that partition alone (shadows carry no status).
--                       presence_renew renews and sweeps a gateway's rows on every partition
--                       (RUN ON ALL) and returns the sum of the users that went offline.
--   a message           message_channel_id and store_message_analysis run on the message's
--                       partition (its id's low bits).
--   search              search_messages_by_embedding: in one channel on its partition; over all
--                       channels on every partition (RUN ON ALL), each with the searcher's card
--                       (a searcher with no row on a partition is a member of nothing there and
--                       gets a shadow, to see its public channels), merged by similarity.

CREATE SCHEMA IF NOT EXISTS chat;
CREATE SCHEMA IF NOT EXISTS chat_route;
CREATE SCHEMA IF NOT EXISTS chat_partition;

/** The hash of a message id: its low bits, which name its partition (0 for NULL). */
CREATE OR REPLACE FUNCTION chat_route.by_message(p_id bigint) RETURNS int
LANGUAGE sql IMMUTABLE AS $$ SELECT coalesce((p_id & 255)::int, 0) $$;

-- Partition entry points --------------------------------------------------------------------------

CREATE OR REPLACE FUNCTION chat_partition.holds_users(p_channel_id int, p_ids int[]) RETURNS boolean
LANGUAGE plproxy AS $$
    CLUSTER 'chat';
    RUN ON chat_route.by_id(p_channel_id);
$$;

CREATE OR REPLACE FUNCTION chat_partition.read_access(p_user_id int, p_channel_id int) RETURNS text
LANGUAGE plproxy AS $$
    CLUSTER 'chat';
    RUN ON chat_route.by_id(p_channel_id);
    TARGET chat.read_access;
$$;

CREATE OR REPLACE FUNCTION chat_partition.get_my_channels(p_user_id int)
RETURNS TABLE (
    channel_id      int,
    name            text,
    channel_type    text,
    role            text,
    last_message_id bigint
)
LANGUAGE plproxy AS $$
    CLUSTER 'chat';
    RUN ON ALL;
$$;

CREATE OR REPLACE FUNCTION chat_partition.get_history(
    p_user_id int, p_channel_id int, p_before_id bigint, p_limit int, p_cards jsonb
)
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
LANGUAGE plproxy AS $$
    CLUSTER 'chat';
    RUN ON chat_route.by_id(p_channel_id);
$$;

CREATE OR REPLACE FUNCTION chat_partition.get_reply_suggestions(
    p_user_id int, p_channel_id int, p_limit int, p_cards jsonb
)
RETURNS TABLE (message_id bigint, content text, metadata jsonb, created_at timestamptz)
LANGUAGE plproxy AS $$
    CLUSTER 'chat';
    RUN ON chat_route.by_id(p_channel_id);
$$;

CREATE OR REPLACE FUNCTION chat_partition.handle_typing_indicator(
    p_channel_id int, p_user_id int, p_is_typing boolean, p_cards jsonb
) RETURNS void
LANGUAGE plproxy AS $$
    CLUSTER 'chat';
    RUN ON chat_route.by_id(p_channel_id);
$$;

CREATE OR REPLACE FUNCTION chat_partition.leave_channel(p_user_id int, p_channel_id int, p_cards jsonb)
RETURNS boolean
LANGUAGE plproxy AS $$
    CLUSTER 'chat';
    RUN ON chat_route.by_id(p_channel_id);
$$;

CREATE OR REPLACE FUNCTION chat_partition.remove_member(
    p_actor_id int, p_channel_id int, p_user_id int, p_cards jsonb
) RETURNS void
LANGUAGE plproxy AS $$
    CLUSTER 'chat';
    RUN ON chat_route.by_id(p_channel_id);
$$;

CREATE OR REPLACE FUNCTION chat_partition.presence_connect(p_gateway_id text, p_user_id int, p_ttl interval)
RETURNS void
LANGUAGE plproxy AS $$
    CLUSTER 'chat';
    RUN ON chat_route.by_id(p_user_id);
    TARGET chat.presence_connect;
$$;

CREATE OR REPLACE FUNCTION chat_partition.presence_disconnect(p_gateway_id text, p_user_id int) RETURNS boolean
LANGUAGE plproxy AS $$
    CLUSTER 'chat';
    RUN ON chat_route.by_id(p_user_id);
    TARGET chat.presence_disconnect;
$$;

CREATE OR REPLACE FUNCTION chat_partition.presence_renew(p_gateway_id text, p_ttl interval) RETURNS SETOF int
LANGUAGE plproxy AS $$
    CLUSTER 'chat';
    RUN ON ALL;
    TARGET chat.presence_renew;
$$;

CREATE OR REPLACE FUNCTION chat_partition.message_channel_id(p_message_id bigint) RETURNS int
LANGUAGE plproxy AS $$
    CLUSTER 'chat';
    RUN ON chat_route.by_message(p_message_id);
    TARGET chat.message_channel_id;
$$;

CREATE OR REPLACE FUNCTION chat_partition.store_message_analysis(
    p_message_id bigint, p_embedding real[], p_sentiment real, p_importance real
) RETURNS void
LANGUAGE plproxy AS $$
    CLUSTER 'chat';
    RUN ON chat_route.by_message(p_message_id);
    TARGET chat.store_message_analysis;
$$;

/** A search in one channel, on the channel's partition. */
CREATE OR REPLACE FUNCTION chat_partition.search_channel(
    p_user_id int, p_query real[], p_channel_id int, p_limit int, p_cards jsonb
) RETURNS TABLE (
    message_id bigint,
    channel_id int,
    user_id    int,
    username   text,
    content    text,
    similarity double precision,
    created_at timestamptz
)
LANGUAGE plproxy AS $$
    CLUSTER 'chat';
    RUN ON chat_route.by_id(p_channel_id);
    TARGET chat_partition.search_messages_by_embedding;
$$;

/** A search over every channel the user may read, on every partition. */
CREATE OR REPLACE FUNCTION chat_partition.search_everywhere(
    p_user_id int, p_query real[], p_channel_id int, p_limit int, p_cards jsonb
) RETURNS TABLE (
    message_id bigint,
    channel_id int,
    user_id    int,
    username   text,
    content    text,
    similarity double precision,
    created_at timestamptz
)
LANGUAGE plproxy AS $$
    CLUSTER 'chat';
    RUN ON ALL;
    TARGET chat_partition.search_messages_by_embedding;
$$;

/**
 * '[]' when the channel's partition holds a row for every user among p_ids, else the cards of
 * p_ids read at their homes (a user who exists nowhere has none, and the partition refuses them
 * as the single server does).
 */
CREATE OR REPLACE FUNCTION chat_route.cards_for(p_channel_id int, p_ids int[]) RETURNS jsonb
LANGUAGE sql AS $$
    SELECT CASE WHEN chat_partition.holds_users(p_channel_id, p_ids) THEN '[]'::jsonb
                ELSE chat_route.cards(p_ids, NULL) END
$$;

-- The chat API (each re-raises a partition's error as the single server words it) ----------------

CREATE OR REPLACE FUNCTION chat.read_access(p_user_id int, p_channel_id int) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    v_state text;
    v_message text;
BEGIN
    RETURN chat_partition.read_access(p_user_id, p_channel_id);
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT;
    PERFORM chat_route.reraise(v_state, v_message);
END;
$$;

/** Every partition's public channels and the user's memberships anywhere, by channel id. */
CREATE OR REPLACE FUNCTION chat.get_my_channels(p_user_id int)
RETURNS TABLE (
    channel_id      int,
    name            text,
    channel_type    text,
    role            text,
    last_message_id bigint
)
LANGUAGE plpgsql AS $$
DECLARE
    v_state text;
    v_message text;
BEGIN
    PERFORM chat_partition.require_user(p_user_id);
    RETURN QUERY SELECT c.* FROM chat_partition.get_my_channels(p_user_id) AS c ORDER BY c.channel_id;
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT;
    PERFORM chat_route.reraise(v_state, v_message);
END;
$$;

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
LANGUAGE plpgsql AS $$
DECLARE
    v_state text;
    v_message text;
BEGIN
    RETURN QUERY SELECT m.* FROM chat_partition.get_history(
        p_user_id, p_channel_id, p_before_id, p_limit,
        chat_route.cards_for(p_channel_id, ARRAY[p_user_id])) AS m;
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT;
    PERFORM chat_route.reraise(v_state, v_message);
END;
$$;

CREATE OR REPLACE FUNCTION chat.get_reply_suggestions(p_user_id int, p_channel_id int, p_limit int)
RETURNS TABLE (message_id bigint, content text, metadata jsonb, created_at timestamptz)
LANGUAGE plpgsql AS $$
DECLARE
    v_state text;
    v_message text;
BEGIN
    RETURN QUERY SELECT s.* FROM chat_partition.get_reply_suggestions(
        p_user_id, p_channel_id, p_limit, chat_route.cards_for(p_channel_id, ARRAY[p_user_id])) AS s;
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT;
    PERFORM chat_route.reraise(v_state, v_message);
END;
$$;

CREATE OR REPLACE FUNCTION chat.handle_typing_indicator(p_channel_id int, p_user_id int, p_is_typing boolean)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_state text;
    v_message text;
BEGIN
    PERFORM chat_partition.handle_typing_indicator(p_channel_id, p_user_id, p_is_typing,
                                                   chat_route.cards_for(p_channel_id, ARRAY[p_user_id]));
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT;
    PERFORM chat_route.reraise(v_state, v_message);
END;
$$;

CREATE OR REPLACE FUNCTION chat.leave_channel(p_user_id int, p_channel_id int) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    v_state text;
    v_message text;
BEGIN
    RETURN chat_partition.leave_channel(p_user_id, p_channel_id, chat_route.cards_for(p_channel_id, ARRAY[p_user_id]));
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT;
    PERFORM chat_route.reraise(v_state, v_message);
END;
$$;

CREATE OR REPLACE FUNCTION chat.remove_member(p_actor_id int, p_channel_id int, p_user_id int) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_state text;
    v_message text;
BEGIN
    PERFORM chat_partition.remove_member(p_actor_id, p_channel_id, p_user_id,
                                         chat_route.cards_for(p_channel_id, ARRAY[p_actor_id, p_user_id]));
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT;
    PERFORM chat_route.reraise(v_state, v_message);
END;
$$;

CREATE OR REPLACE FUNCTION chat.presence_connect(p_gateway_id text, p_user_id int, p_ttl interval)
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_state text;
    v_message text;
BEGIN
    PERFORM chat_partition.presence_connect(p_gateway_id, p_user_id, p_ttl);
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT;
    PERFORM chat_route.reraise(v_state, v_message);
END;
$$;

CREATE OR REPLACE FUNCTION chat.presence_disconnect(p_gateway_id text, p_user_id int) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    v_state text;
    v_message text;
BEGIN
    RETURN chat_partition.presence_disconnect(p_gateway_id, p_user_id);
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT;
    PERFORM chat_route.reraise(v_state, v_message);
END;
$$;

/** Renews and sweeps on every partition; each partition in its own transaction. */
CREATE OR REPLACE FUNCTION chat.presence_renew(p_gateway_id text, p_ttl interval) RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
    v_state text;
    v_message text;
BEGIN
    RETURN (SELECT coalesce(sum(n), 0)::int FROM chat_partition.presence_renew(p_gateway_id, p_ttl) AS n);
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT;
    PERFORM chat_route.reraise(v_state, v_message);
END;
$$;

CREATE OR REPLACE FUNCTION chat.message_channel_id(p_message_id bigint) RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
    v_state text;
    v_message text;
BEGIN
    RETURN chat_partition.message_channel_id(p_message_id);
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT;
    PERFORM chat_route.reraise(v_state, v_message);
END;
$$;

/** Where the workers' analysis of a message is stored: the message's partition. */
CREATE OR REPLACE FUNCTION chat.store_message_analysis(
    p_message_id bigint, p_embedding real[], p_sentiment real, p_importance real DEFAULT NULL
) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_state text;
    v_message text;
BEGIN
    PERFORM chat_partition.store_message_analysis(p_message_id, p_embedding, p_sentiment, p_importance);
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT;
    PERFORM chat_route.reraise(v_state, v_message);
END;
$$;

/**
 * In one channel: on its partition. Over all channels: every partition with the searcher's card
 * (read at home; none when they exist nowhere, and the partitions refuse them), each answering
 * its best p_limit, merged to the best p_limit in the single server's order.
 */
CREATE OR REPLACE FUNCTION chat.search_messages_by_embedding(
    p_user_id int, p_query real[], p_channel_id int DEFAULT NULL, p_limit int DEFAULT 10
) RETURNS TABLE (
    message_id bigint,
    channel_id int,
    user_id    int,
    username   text,
    content    text,
    similarity double precision,
    created_at timestamptz
)
LANGUAGE plpgsql AS $$
DECLARE
    v_state text;
    v_message text;
BEGIN
    IF p_channel_id IS NOT NULL THEN
        RETURN QUERY SELECT s.* FROM chat_partition.search_channel(
            p_user_id, p_query, p_channel_id, p_limit, chat_route.cards_for(p_channel_id, ARRAY[p_user_id])) AS s;
        RETURN;
    END IF;
    RETURN QUERY SELECT s.* FROM chat_partition.search_everywhere(
        p_user_id, p_query, NULL, p_limit, chat_route.cards(ARRAY[p_user_id], NULL)) AS s
     ORDER BY s.similarity DESC, s.message_id DESC
     -- never LIMIT 0 (which would not call the partitions): they refuse a bad limit themselves
     LIMIT greatest(coalesce(p_limit, 1), 1);
EXCEPTION WHEN OTHERS THEN
    GET STACKED DIAGNOSTICS v_state = RETURNED_SQLSTATE, v_message = MESSAGE_TEXT;
    PERFORM chat_route.reraise(v_state, v_message);
END;
$$;
