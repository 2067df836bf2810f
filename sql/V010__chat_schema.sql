-- Chat schema: the tables of the real-time chat (users, friends, channels, messages and the
-- queues that the AI worker, the moderator and the gateway consume). Functions and triggers
-- live in the following migrations. Idempotent: safe to re-run.
--
-- Models never run inside a writing transaction: embeddings, sentiment, replies and moderation
-- verdicts are computed by workers and written back through the entry points of V015.

CREATE SCHEMA IF NOT EXISTS chat;

-- Password hashing (crypt + gen_salt('bf')). The functions that use it find the extension's
-- schema through their search_path (set in V011), wherever it was installed.
CREATE EXTENSION IF NOT EXISTS pgcrypto;

CREATE TABLE IF NOT EXISTS chat.users (
    id            serial PRIMARY KEY,
    username      text NOT NULL,
    password_hash text NOT NULL,
    email         text NOT NULL,
    display_name  text,
    status        text NOT NULL DEFAULT 'offline',
    last_seen     timestamptz NOT NULL DEFAULT now(),
    preferences   jsonb NOT NULL DEFAULT '{}',
    friends_only  boolean NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL DEFAULT now(),
    -- Letters, digits and underscore only: a mention '@name' then needs no escaping anywhere.
    CONSTRAINT users_username_format CHECK (username ~ '^[A-Za-z0-9_]{3,32}$'),
    CONSTRAINT users_email_format CHECK (char_length(email) <= 254 AND email ~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$'),
    CONSTRAINT users_display_name_length CHECK (display_name IS NULL OR char_length(display_name) BETWEEN 1 AND 100),
    CONSTRAINT users_status_known CHECK (status IN ('online', 'away', 'busy', 'offline')),
    CONSTRAINT users_preferences_object CHECK (jsonb_typeof(preferences) = 'object')
);
-- Usernames are unique regardless of case, so 'Alice' cannot pose as 'alice'.
CREATE UNIQUE INDEX IF NOT EXISTS users_username_key ON chat.users (lower(username));

-- The book's friend list: user_id accepts messages from friend_id (one direction).
CREATE TABLE IF NOT EXISTS chat.friends (
    user_id    int NOT NULL REFERENCES chat.users (id) ON DELETE CASCADE,
    friend_id  int NOT NULL REFERENCES chat.users (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, friend_id),
    CONSTRAINT friends_not_self CHECK (user_id <> friend_id)
);
CREATE INDEX IF NOT EXISTS friends_friend_id_idx ON chat.friends (friend_id);

CREATE TABLE IF NOT EXISTS chat.channels (
    id            serial PRIMARY KEY,
    name          text NOT NULL,
    description   text,
    channel_type  text NOT NULL DEFAULT 'public',
    owner_id      int REFERENCES chat.users (id) ON DELETE SET NULL,
    -- The two members of a direct channel, lower id first; NULL for other channels. The unique
    -- constraint makes "find or create the pair's channel" race-safe.
    direct_user_a int REFERENCES chat.users (id) ON DELETE CASCADE,
    direct_user_b int REFERENCES chat.users (id) ON DELETE CASCADE,
    metadata      jsonb NOT NULL DEFAULT '{}',
    created_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT channels_name_length CHECK (char_length(name) BETWEEN 1 AND 100 AND btrim(name) <> ''),
    CONSTRAINT channels_type_known CHECK (channel_type IN ('public', 'private', 'direct')),
    CONSTRAINT channels_direct_pair CHECK (
        CASE WHEN channel_type = 'direct'
             THEN direct_user_a IS NOT NULL AND direct_user_b IS NOT NULL AND direct_user_a < direct_user_b
             ELSE direct_user_a IS NULL AND direct_user_b IS NULL END),
    CONSTRAINT channels_direct_pair_key UNIQUE (direct_user_a, direct_user_b)
);
CREATE INDEX IF NOT EXISTS channels_direct_user_b_idx ON chat.channels (direct_user_b);
CREATE INDEX IF NOT EXISTS channels_owner_id_idx ON chat.channels (owner_id);

-- Who belongs to a channel: required to post in private and direct channels; get_new_messages
-- reads the channels a user is a member of.
CREATE TABLE IF NOT EXISTS chat.channel_members (
    channel_id int NOT NULL REFERENCES chat.channels (id) ON DELETE CASCADE,
    user_id    int NOT NULL REFERENCES chat.users (id) ON DELETE CASCADE,
    role       text NOT NULL DEFAULT 'member',
    joined_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (channel_id, user_id),
    CONSTRAINT channel_members_role_known CHECK (role IN ('owner', 'member'))
);
CREATE INDEX IF NOT EXISTS channel_members_user_id_idx ON chat.channel_members (user_id, channel_id);

CREATE TABLE IF NOT EXISTS chat.messages (
    id           bigserial PRIMARY KEY,
    channel_id   int NOT NULL REFERENCES chat.channels (id) ON DELETE CASCADE,
    -- NULL for the assistant's and the system's messages, and once the author is deleted (the
    -- conversation stays readable for the others); chat.post_message always sets it.
    user_id      int REFERENCES chat.users (id) ON DELETE SET NULL,
    content      text NOT NULL,
    message_type text NOT NULL DEFAULT 'user',
    embedding    real[],
    sentiment    real,
    metadata     jsonb NOT NULL DEFAULT '{}',
    created_at   timestamptz NOT NULL DEFAULT now(),
    edited_at    timestamptz,
    deleted_at   timestamptz,
    CONSTRAINT messages_content_not_empty CHECK (btrim(content, E' \t\r\n') <> ''),
    CONSTRAINT messages_content_max_length CHECK (char_length(content) <= 4000),
    CONSTRAINT messages_type_known CHECK (message_type IN ('user', 'ai_suggestion', 'system')),
    CONSTRAINT messages_embedding_shape CHECK (
        embedding IS NULL
        OR (array_ndims(embedding) = 1 AND cardinality(embedding) > 0 AND array_position(embedding, NULL) IS NULL)),
    CONSTRAINT messages_sentiment_range CHECK (sentiment IS NULL OR sentiment BETWEEN -1 AND 1),
    CONSTRAINT messages_metadata_object CHECK (jsonb_typeof(metadata) = 'object')
);
CREATE INDEX IF NOT EXISTS messages_channel_id_id_idx ON chat.messages (channel_id, id);
CREATE INDEX IF NOT EXISTS messages_created_at_idx ON chat.messages (created_at);
CREATE INDEX IF NOT EXISTS messages_user_id_idx ON chat.messages (user_id);

-- When each user read each message (the book's read timestamp, per reader).
CREATE TABLE IF NOT EXISTS chat.message_reads (
    user_id    int NOT NULL REFERENCES chat.users (id) ON DELETE CASCADE,
    message_id bigint NOT NULL REFERENCES chat.messages (id) ON DELETE CASCADE,
    read_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, message_id)
);
CREATE INDEX IF NOT EXISTS message_reads_message_id_idx ON chat.message_reads (message_id);

-- One rolling summary per channel, written by the AI worker.
CREATE TABLE IF NOT EXISTS chat.conversation_memory (
    id                serial PRIMARY KEY,
    channel_id        int NOT NULL UNIQUE REFERENCES chat.channels (id) ON DELETE CASCADE,
    summary           text NOT NULL,
    key_points        text[] NOT NULL DEFAULT '{}',
    context_embedding real[],
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT conversation_memory_embedding_shape CHECK (
        context_embedding IS NULL
        OR (array_ndims(context_embedding) = 1 AND cardinality(context_embedding) > 0
            AND array_position(context_embedding, NULL) IS NULL))
);

CREATE TABLE IF NOT EXISTS chat.reactions (
    id         bigserial PRIMARY KEY,
    message_id bigint NOT NULL REFERENCES chat.messages (id) ON DELETE CASCADE,
    user_id    int NOT NULL REFERENCES chat.users (id) ON DELETE CASCADE,
    reaction   text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT reactions_once UNIQUE (message_id, user_id, reaction),
    CONSTRAINT reactions_reaction_length CHECK (char_length(reaction) BETWEEN 1 AND 50 AND btrim(reaction) <> '')
);
CREATE INDEX IF NOT EXISTS reactions_user_id_idx ON chat.reactions (user_id);

-- Requests for the assistant, filled by a trigger and drained by AI workers
-- (chat.claim_ai_requests). Priority 1 is the most urgent.
CREATE TABLE IF NOT EXISTS chat.ai_response_queue (
    id                  bigserial PRIMARY KEY,
    message_id          bigint NOT NULL UNIQUE REFERENCES chat.messages (id) ON DELETE CASCADE,
    channel_id          int NOT NULL REFERENCES chat.channels (id) ON DELETE CASCADE,
    priority            smallint NOT NULL DEFAULT 5,
    status              text NOT NULL DEFAULT 'pending',
    attempts            int NOT NULL DEFAULT 0,
    claimed_by          text,
    claimed_at          timestamptz,
    last_error          text,
    response_message_id bigint REFERENCES chat.messages (id) ON DELETE SET NULL,
    created_at          timestamptz NOT NULL DEFAULT now(),
    completed_at        timestamptz,
    CONSTRAINT ai_response_queue_priority_range CHECK (priority BETWEEN 1 AND 10),
    CONSTRAINT ai_response_queue_status_known CHECK (status IN ('pending', 'processing', 'done', 'failed')),
    CONSTRAINT ai_response_queue_attempts_positive CHECK (attempts >= 0)
);
CREATE INDEX IF NOT EXISTS ai_response_queue_claim_idx
    ON chat.ai_response_queue (status, priority, id);
CREATE INDEX IF NOT EXISTS ai_response_queue_channel_id_idx ON chat.ai_response_queue (channel_id);
CREATE INDEX IF NOT EXISTS ai_response_queue_response_idx ON chat.ai_response_queue (response_message_id);

CREATE TABLE IF NOT EXISTS chat.moderation_queue (
    id          bigserial PRIMARY KEY,
    message_id  bigint NOT NULL REFERENCES chat.messages (id) ON DELETE CASCADE,
    risk_level  text NOT NULL,
    reasons     text[] NOT NULL DEFAULT '{}',
    status      text NOT NULL DEFAULT 'pending',
    reviewed_by int REFERENCES chat.users (id) ON DELETE SET NULL,
    reviewed_at timestamptz,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT moderation_queue_risk_known CHECK (risk_level IN ('warning', 'unsafe')),
    CONSTRAINT moderation_queue_status_known CHECK (status IN ('pending', 'approved', 'removed'))
);
-- At most one open case per message: repeated flags merge into it.
CREATE UNIQUE INDEX IF NOT EXISTS moderation_queue_open_case_key
    ON chat.moderation_queue (message_id) WHERE status = 'pending';
CREATE INDEX IF NOT EXISTS moderation_queue_status_idx ON chat.moderation_queue (status, id);

-- Per user and channel. quiet_hours: {"start": "HH:MM", "end": "HH:MM", "time_zone": "<IANA name>"}
-- in the user's wall-clock time (time_zone optional, UTC when absent); start > end spans
-- midnight; NULL means no quiet hours.
CREATE TABLE IF NOT EXISTS chat.notification_preferences (
    user_id            int NOT NULL REFERENCES chat.users (id) ON DELETE CASCADE,
    channel_id         int NOT NULL REFERENCES chat.channels (id) ON DELETE CASCADE,
    notification_level text NOT NULL DEFAULT 'all',
    keywords           text[] NOT NULL DEFAULT '{}',
    quiet_hours        jsonb DEFAULT '{"start": "22:00", "end": "08:00"}',
    PRIMARY KEY (user_id, channel_id),
    CONSTRAINT notification_preferences_level_known
        CHECK (notification_level IN ('all', 'mentions', 'important', 'none')),
    CONSTRAINT notification_preferences_quiet_hours_format CHECK (
        quiet_hours IS NULL
        OR (jsonb_typeof(quiet_hours) = 'object'
            AND coalesce(quiet_hours ->> 'start', '') ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'
            AND coalesce(quiet_hours ->> 'end', '') ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'))
);
CREATE INDEX IF NOT EXISTS notification_preferences_channel_id_idx ON chat.notification_preferences (channel_id);

-- Who is typing where (the seed kept this in a users.metadata column that does not exist).
-- signalled_at is the latest "is typing" signal; clients repeat it while the user types.
CREATE TABLE IF NOT EXISTS chat.typing_indicators (
    channel_id   int NOT NULL REFERENCES chat.channels (id) ON DELETE CASCADE,
    user_id      int NOT NULL REFERENCES chat.users (id) ON DELETE CASCADE,
    signalled_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (channel_id, user_id)
);
CREATE INDEX IF NOT EXISTS typing_indicators_user_id_idx ON chat.typing_indicators (user_id);

-- Events for WebSocket clients (typing, presence, ...). Each row is emitted on the
-- websocket_event channel by a trigger; channel_id is NULL for events without a channel
-- (presence).
CREATE TABLE IF NOT EXISTS chat.websocket_events (
    id         bigserial PRIMARY KEY,
    event_type text NOT NULL,
    channel_id int REFERENCES chat.channels (id) ON DELETE CASCADE,
    user_id    int REFERENCES chat.users (id) ON DELETE CASCADE,
    payload    jsonb NOT NULL DEFAULT '{}',
    processed  boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT websocket_events_type_format CHECK (event_type ~ '^[a-z][a-z0-9_]{0,49}$')
);
CREATE INDEX IF NOT EXISTS websocket_events_created_at_idx ON chat.websocket_events (created_at);
CREATE INDEX IF NOT EXISTS websocket_events_channel_id_idx ON chat.websocket_events (channel_id);
CREATE INDEX IF NOT EXISTS websocket_events_user_id_idx ON chat.websocket_events (user_id);

-- Where pgvector is installable, a vector copy of 1024-dimensional embeddings (SteadyText's
-- size) with a cosine HNSW index. Generated from the real[] column, so nothing else has to
-- keep it in step; on stock PostgreSQL this block does nothing.
DO $$
DECLARE
    v_schema text;
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') THEN
        RETURN;
    END IF;
    CREATE EXTENSION IF NOT EXISTS vector;
    SELECT n.nspname INTO v_schema
      FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
     WHERE e.extname = 'vector';
    EXECUTE format(
        'ALTER TABLE chat.messages ADD COLUMN IF NOT EXISTS embedding_vector %1$I.vector(1024) '
        'GENERATED ALWAYS AS (CASE WHEN cardinality(embedding) = 1024 '
        'THEN embedding::%1$I.vector(1024) END) STORED', v_schema);
    IF EXISTS (SELECT 1 FROM pg_am WHERE amname = 'hnsw') THEN
        EXECUTE format(
            'CREATE INDEX IF NOT EXISTS messages_embedding_vector_idx ON chat.messages '
            'USING hnsw (embedding_vector %I.vector_cosine_ops)', v_schema);
    END IF;
END;
$$;
