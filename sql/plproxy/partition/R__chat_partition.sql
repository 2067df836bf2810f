-- A chat partition: the single-server chat schema (V001, V010..V015, applied before this file)
-- plus what a partition of the PL/Proxy cluster needs. Applied by `bin/zgres migrate` with
-- ZGRES_SCHEMA_ROLE=partition and ZGRES_PARTITION=<number>/<count>, e.g. 1/2. Idempotent: a
-- repeatable migration, safe to re-run.
--
-- 1. Identity. The id of a user, channel or message carries a slot: its lowest 8 bits are the
--    low bits of the hash the proxy routes it by (a user: hashtext(lower(username)); a channel:
--    its owner's id, or the lower id of a direct channel's pair; a message: its channel's id).
--    PL/Proxy sends hash h to partition h & (count - 1), and for these ids h = id lands on the
--    same partition as the routing hash did, for every power-of-two count up to 256. So the
--    proxy finds a user, channel or message from its id alone, ids are unique across the
--    cluster (a slot belongs to one partition), and splitting n partitions into 2n keeps every
--    id routable. The price: user and channel ids are int, so a partition holds at most
--    2^31 / 256 (8 million) users and as many channels. Other chat ids (reactions, queues,
--    WebSocket events) need only be unique: they step by 256 from the partition number.
-- 2. Shadow users. A channel and all its messages live on one partition, but its members may
--    live on others. Their rows there are shadows (home = false): id, username and the
--    friends_only flag, refreshed by the proxy in the same transaction as each write that
--    reads them, and a copy of the one friend-list entry that write checks. A shadow cannot
--    log in (its password hash matches nothing), is never a proxy call's home, and exists
--    only so that the single-server functions and foreign keys work unchanged.
-- 3. chat_partition.*: the entry points the proxy calls. Each takes the cards of the remote
--    users it needs (chat_partition.user_cards, read from their home partitions), adopts
--    them, and then calls the single-server function of the same name.

CREATE SCHEMA IF NOT EXISTS chat_partition;

/** How many slots an id carries (its lowest bits): the largest partition count. */
CREATE OR REPLACE FUNCTION chat_partition.slots() RETURNS int
LANGUAGE sql IMMUTABLE AS $$ SELECT 256 $$;

DO $$
DECLARE
    v_partition int := ${zgres_partition};
    v_count int := ${zgres_partitions};
    v_seq record;
    v_next bigint;
BEGIN
    IF v_count < 1 OR v_count > chat_partition.slots() OR (v_count & (v_count - 1)) <> 0 THEN
        RAISE EXCEPTION 'partition count must be a power of two from 1 to % (was %)', chat_partition.slots(), v_count
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF v_partition < 0 OR v_partition >= v_count THEN
        RAISE EXCEPTION 'partition number must be from 0 to % (was %)', v_count - 1, v_partition
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    EXECUTE format(
        'CREATE OR REPLACE FUNCTION chat_partition.identity(OUT partition int, OUT partitions int) '
        'LANGUAGE sql IMMUTABLE AS $f$ SELECT %s, %s $f$', v_partition, v_count);

    FOR v_seq IN
        SELECT s.schemaname, s.sequencename, coalesce(s.last_value, 0) AS last_value
          FROM pg_sequences s
         WHERE s.schemaname = 'chat'
           AND s.sequencename NOT IN ('users_id_seq', 'channels_id_seq', 'messages_id_seq')
         ORDER BY s.sequencename
    LOOP
        v_next := (v_seq.last_value / chat_partition.slots() + 1) * chat_partition.slots() + v_partition;
        EXECUTE format('ALTER SEQUENCE %I.%I INCREMENT BY %s MINVALUE 1', v_seq.schemaname, v_seq.sequencename,
                       chat_partition.slots());
        PERFORM setval(format('%I.%I', v_seq.schemaname, v_seq.sequencename), v_next, false);
    END LOOP;
END;
$$;

/**
 * BEFORE INSERT on users, channels and messages: turns the counter that the id column's sequence
 * gave into counter * slots + (routing hash & (slots - 1)). Rows inserted with their id already
 * made (shadows) are left alone by the trigger's WHEN.
 */
CREATE OR REPLACE FUNCTION chat_partition.slotted_id() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    v_hash int;
BEGIN
    IF TG_TABLE_NAME = 'users' THEN
        v_hash := hashtext(lower(NEW.username));
    ELSIF TG_TABLE_NAME = 'channels' THEN
        v_hash := coalesce(NEW.direct_user_a, NEW.owner_id, (chat_partition.identity()).partition);
    ELSE
        v_hash := NEW.channel_id;
    END IF;
    NEW.id := NEW.id * chat_partition.slots() + (v_hash & (chat_partition.slots() - 1));
    RETURN NEW;
END;
$$;

ALTER TABLE chat.users ADD COLUMN IF NOT EXISTS home boolean NOT NULL DEFAULT true;

CREATE OR REPLACE TRIGGER users_slotted_id BEFORE INSERT ON chat.users
    FOR EACH ROW WHEN (NEW.home) EXECUTE FUNCTION chat_partition.slotted_id();
CREATE OR REPLACE TRIGGER channels_slotted_id BEFORE INSERT ON chat.channels
    FOR EACH ROW EXECUTE FUNCTION chat_partition.slotted_id();
CREATE OR REPLACE TRIGGER messages_slotted_id BEFORE INSERT ON chat.messages
    FOR EACH ROW EXECUTE FUNCTION chat_partition.slotted_id();

/**
 * The cards of the users among p_ids whose home is this partition: what another partition needs
 * to hold them as shadows. accepts_viewer: p_viewer is on the user's friend list.
 */
CREATE OR REPLACE FUNCTION chat_partition.user_cards(p_ids int[], p_viewer int)
RETURNS TABLE (id int, username text, friends_only boolean, accepts_viewer boolean)
LANGUAGE sql STABLE AS $$
    SELECT u.id, u.username, u.friends_only,
           EXISTS (SELECT 1 FROM chat.friends f WHERE f.user_id = u.id AND f.friend_id = p_viewer)
      FROM chat.users u
     WHERE u.home AND u.id = ANY (p_ids)
     ORDER BY u.id;
$$;

/**
 * Creates or refreshes the shadows of the users in p_cards (a JSON array of user_cards rows) that
 * live on other partitions, and, with p_viewer, their friend-list entry for p_viewer. Rows of
 * users at home here are never touched.
 */
CREATE OR REPLACE FUNCTION chat_partition.adopt(p_cards jsonb, p_viewer int) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_card record;
BEGIN
    FOR v_card IN
        SELECT c.id, c.username, c.friends_only, c.accepts_viewer
          FROM jsonb_to_recordset(coalesce(p_cards, '[]')) AS c (id int, username text, friends_only boolean,
                                                                   accepts_viewer boolean)
         ORDER BY c.id
    LOOP
        INSERT INTO chat.users AS u (id, username, password_hash, email, display_name, friends_only, home)
        VALUES (v_card.id, v_card.username, '!', 'shadow@partition.invalid', v_card.username,
                v_card.friends_only, false)
        ON CONFLICT (id) DO UPDATE SET friends_only = EXCLUDED.friends_only
            WHERE NOT u.home AND u.friends_only IS DISTINCT FROM EXCLUDED.friends_only;
    END LOOP;
    IF p_viewer IS NULL OR NOT EXISTS (SELECT 1 FROM chat.users WHERE id = p_viewer) THEN
        RETURN;
    END IF;
    FOR v_card IN
        SELECT c.id, c.accepts_viewer
          FROM jsonb_to_recordset(coalesce(p_cards, '[]')) AS c (id int, accepts_viewer boolean)
          JOIN chat.users u ON u.id = c.id AND NOT u.home
         WHERE c.id <> p_viewer
    LOOP
        IF v_card.accepts_viewer THEN
            INSERT INTO chat.friends (user_id, friend_id) VALUES (v_card.id, p_viewer) ON CONFLICT DO NOTHING;
        ELSE
            DELETE FROM chat.friends WHERE user_id = v_card.id AND friend_id = p_viewer;
        END IF;
    END LOOP;
END;
$$;

/** chat.set_friends on the user's home partition; p_cards holds the friends that exist anywhere. */
CREATE OR REPLACE FUNCTION chat_partition.set_friends(p_user_id int, p_friend_ids int[], p_cards jsonb)
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM chat_partition.adopt(p_cards, NULL);
    PERFORM chat.set_friends(p_user_id, p_friend_ids);
END;
$$;

/** chat.create_channel on the channel's partition (the owner's; a direct channel: its lower user id's). */
CREATE OR REPLACE FUNCTION chat_partition.create_channel(
    p_owner_id int, p_name text, p_channel_type text, p_member_ids int[], p_cards jsonb
) RETURNS int
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM chat_partition.adopt(p_cards, p_owner_id);
    RETURN chat.create_channel(p_owner_id, p_name, p_channel_type, p_member_ids);
END;
$$;

/** chat.join_channel on the channel's partition. */
CREATE OR REPLACE FUNCTION chat_partition.join_channel(p_user_id int, p_channel_id int, p_cards jsonb)
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM chat_partition.adopt(p_cards, NULL);
    PERFORM chat.join_channel(p_user_id, p_channel_id);
END;
$$;

/** The other member of a direct channel that p_user_id belongs to, else NULL. */
CREATE OR REPLACE FUNCTION chat_partition.direct_peer(p_channel_id int, p_user_id int) RETURNS int
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN c.direct_user_a = p_user_id THEN c.direct_user_b ELSE c.direct_user_a END
      FROM chat.channels c
     WHERE c.id = p_channel_id AND c.channel_type = 'direct' AND p_user_id IN (c.direct_user_a, c.direct_user_b);
$$;

/**
 * The one-call path of post_message: when the poster and, in a direct channel, the peer both live
 * on this partition, no card is needed and this posts at once. NULL means "not all here": the
 * proxy then reads the cards and calls chat_partition.post_message.
 */
CREATE OR REPLACE FUNCTION chat_partition.post_message_here(p_user_id int, p_channel_id int, p_content text)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_peer int;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM chat.users u WHERE u.id = p_user_id AND u.home) THEN
        RETURN NULL;
    END IF;
    v_peer := chat_partition.direct_peer(p_channel_id, p_user_id);
    IF v_peer IS NOT NULL AND NOT EXISTS (SELECT 1 FROM chat.users u WHERE u.id = v_peer AND u.home) THEN
        RETURN NULL;
    END IF;
    RETURN chat.post_message(p_user_id, p_channel_id, p_content);
END;
$$;

/** chat.post_message on the channel's partition; p_cards: the poster and, in a direct channel, the peer. */
CREATE OR REPLACE FUNCTION chat_partition.post_message(p_user_id int, p_channel_id int, p_content text, p_cards jsonb)
RETURNS bigint
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM chat_partition.adopt(p_cards, p_user_id);
    RETURN chat.post_message(p_user_id, p_channel_id, p_content);
END;
$$;

/** The one-call path of send_direct_message: both users live here, else NULL (see post_message_here). */
CREATE OR REPLACE FUNCTION chat_partition.send_direct_message_here(p_sender_id int, p_receiver_id int, p_body text)
RETURNS bigint
LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT count(*) FROM chat.users u WHERE u.id IN (p_sender_id, p_receiver_id) AND u.home) < 2 THEN
        RETURN NULL;
    END IF;
    RETURN chat_partition.send_direct_message(p_sender_id, p_receiver_id, p_body, '[]');
END;
$$;

/**
 * chat.send_direct_message on the pair's partition (the lower user id's). Once the pair has its
 * channel, the message is posted there directly, with the same checks in the same order: the
 * single-server function's find-or-create insert would use up a channel id on every message,
 * and here a channel id's counter has 256 times fewer values (see Identity above).
 */
CREATE OR REPLACE FUNCTION chat_partition.send_direct_message(
    p_sender_id int, p_receiver_id int, p_body text, p_cards jsonb
) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_channel int;
BEGIN
    PERFORM chat_partition.adopt(p_cards, p_sender_id);
    SELECT c.id INTO v_channel FROM chat.channels c
     WHERE c.direct_user_a = least(p_sender_id, p_receiver_id)
       AND c.direct_user_b = greatest(p_sender_id, p_receiver_id);
    IF v_channel IS NULL THEN
        RETURN chat.send_direct_message(p_sender_id, p_receiver_id, p_body);
    END IF;
    PERFORM chat.require_user(p_sender_id, 'sender_id');
    PERFORM chat.require_user(p_receiver_id, 'receiver_id');
    PERFORM chat.check_content(p_body, 'body');
    PERFORM chat.require_may_message(p_sender_id, p_receiver_id);
    INSERT INTO chat.channel_members (channel_id, user_id, role)
    VALUES (v_channel, p_sender_id, 'owner'), (v_channel, p_receiver_id, 'member')
    ON CONFLICT DO NOTHING;
    RETURN chat.post_message(p_sender_id, v_channel, p_body);
END;
$$;

/** chat.get_new_messages for the channels on this partition; nothing when the user has none here. */
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
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM chat.users u WHERE u.id = p_user_id) THEN
        RETURN;
    END IF;
    RETURN QUERY SELECT * FROM chat.get_new_messages(p_user_id);
END;
$$;
