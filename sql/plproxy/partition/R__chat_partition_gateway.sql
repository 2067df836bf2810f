-- A chat partition's entry points for the WebSocket gateway's calls (proxy/V002__chat_proxy_gateway.sql),
-- beside R__chat_partition.sql (adopt, user_cards, shadows). Idempotent: a repeatable migration.
--
-- A channel's calls run on the channel's partition, which holds every member as a home user or a
-- shadow. A user who is not a member may still read, type in or be named in a call on a public
-- channel; when such a user has no row there, the proxy passes their card (read at their home)
-- and the entry point adopts it first, as join_channel does. Presence lives on the user's home
-- partition only: the single-server functions run there unchanged.

/** Whether every non-NULL id in p_ids has a row here (home or shadow); p_channel_id only routes. */
CREATE OR REPLACE FUNCTION chat_partition.holds_users(p_channel_id int, p_ids int[]) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT NOT EXISTS (SELECT 1 FROM unnest(p_ids) AS i
                        WHERE i IS NOT NULL AND NOT EXISTS (SELECT 1 FROM chat.users u WHERE u.id = i));
$$;

/**
 * chat.get_my_channels for this partition's channels. A user with no row here is a member of
 * nothing here: they see this partition's public channels, with no role.
 */
CREATE OR REPLACE FUNCTION chat_partition.get_my_channels(p_user_id int)
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
    IF EXISTS (SELECT 1 FROM chat.users u WHERE u.id = p_user_id) THEN
        RETURN QUERY SELECT * FROM chat.get_my_channels(p_user_id);
        RETURN;
    END IF;
    RETURN QUERY
    SELECT c.id, c.name, c.channel_type, NULL::text,
           (SELECT max(x.id) FROM chat.messages x WHERE x.channel_id = c.id AND x.deleted_at IS NULL)
      FROM chat.channels c
     WHERE c.channel_type = 'public'
     ORDER BY c.id;
END;
$$;

/** chat.get_history on the channel's partition; p_cards: the reader, when they have no row here. */
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
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM chat_partition.adopt(p_cards, NULL);
    RETURN QUERY SELECT * FROM chat.get_history(p_user_id, p_channel_id, p_before_id, p_limit);
END;
$$;

/** chat.get_reply_suggestions on the channel's partition; p_cards as for get_history. */
CREATE OR REPLACE FUNCTION chat_partition.get_reply_suggestions(
    p_user_id int, p_channel_id int, p_limit int, p_cards jsonb
)
RETURNS TABLE (message_id bigint, content text, metadata jsonb, created_at timestamptz)
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM chat_partition.adopt(p_cards, NULL);
    RETURN QUERY SELECT * FROM chat.get_reply_suggestions(p_user_id, p_channel_id, p_limit);
END;
$$;

/** chat.handle_typing_indicator on the channel's partition; p_cards: the typist, if needed. */
CREATE OR REPLACE FUNCTION chat_partition.handle_typing_indicator(
    p_channel_id int, p_user_id int, p_is_typing boolean, p_cards jsonb
) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM chat_partition.adopt(p_cards, NULL);
    PERFORM chat.handle_typing_indicator(p_channel_id, p_user_id, p_is_typing);
END;
$$;

/** chat.leave_channel on the channel's partition; p_cards: the user, if needed. */
CREATE OR REPLACE FUNCTION chat_partition.leave_channel(p_user_id int, p_channel_id int, p_cards jsonb)
RETURNS boolean
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM chat_partition.adopt(p_cards, NULL);
    RETURN chat.leave_channel(p_user_id, p_channel_id);
END;
$$;

/** chat.remove_member on the channel's partition; p_cards: the actor and the user, if needed. */
CREATE OR REPLACE FUNCTION chat_partition.remove_member(
    p_actor_id int, p_channel_id int, p_user_id int, p_cards jsonb
) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM chat_partition.adopt(p_cards, NULL);
    PERFORM chat.remove_member(p_actor_id, p_channel_id, p_user_id);
END;
$$;

/**
 * chat.search_messages_by_embedding on this partition; p_cards: the searcher, when they have no
 * row here. A search over all channels runs on every partition, so the searcher gets a shadow on
 * each (once: adopt leaves an unchanged shadow alone).
 */
CREATE OR REPLACE FUNCTION chat_partition.search_messages_by_embedding(
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
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM chat_partition.adopt(p_cards, NULL);
    RETURN QUERY SELECT * FROM chat.search_messages_by_embedding(p_user_id, p_query, p_channel_id, p_limit);
END;
$$;
