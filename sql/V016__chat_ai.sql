-- What the AI worker and the moderator need beyond V015: search that only returns what the
-- asking user may read, stored reply suggestions, similar conversations, importance in the
-- message metadata, the moderator's message_moderated event, at most one reply per assistant
-- request, and the history the workers read. Nothing here calls a model. Idempotent.
--
-- Storing analysis results (embedding, sentiment, importance, moderation metadata) updates
-- chat.messages without touching content or deleted_at, so the messages_emit_changed trigger of
-- V013 stays silent: no event makes a worker analyse the same message again.

-- Exactly one reply per request, whatever the workers do: the reply message carries its request
-- id, and a second reply for the same request cannot be stored.
CREATE UNIQUE INDEX IF NOT EXISTS messages_one_reply_per_request
    ON chat.messages (((metadata ->> 'ai_request_id')::bigint))
    WHERE message_type = 'ai_suggestion' AND metadata ? 'ai_request_id';

-- Reply suggestions for a channel's latest question, written by the AI worker and read by
-- chat.suggest_replies without calling a model.
CREATE TABLE IF NOT EXISTS chat.reply_suggestions (
    channel_id  int NOT NULL REFERENCES chat.channels (id) ON DELETE CASCADE,
    position    smallint NOT NULL,
    message_id  bigint NOT NULL REFERENCES chat.messages (id) ON DELETE CASCADE,
    suggestion  text NOT NULL,
    confidence  real NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (channel_id, position),
    CONSTRAINT reply_suggestions_position_range CHECK (position BETWEEN 1 AND 10),
    CONSTRAINT reply_suggestions_confidence_range CHECK (confidence BETWEEN 0 AND 1),
    CONSTRAINT reply_suggestions_not_blank CHECK (btrim(suggestion) <> '' AND char_length(suggestion) <= 4000)
);
CREATE INDEX IF NOT EXISTS reply_suggestions_message_id_idx ON chat.reply_suggestions (message_id);

/** True when p_user_id may read the channel: anyone a public one, members only the others. */
CREATE OR REPLACE FUNCTION chat.may_read(p_user_id int, p_channel_id int) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT EXISTS (
        SELECT 1 FROM chat.channels c
         WHERE c.id = p_channel_id
           AND (c.channel_type = 'public'
                OR EXISTS (SELECT 1 FROM chat.channel_members cm
                            WHERE cm.channel_id = c.id AND cm.user_id = p_user_id)));
$$;

DROP FUNCTION IF EXISTS chat.search_messages_by_embedding(real[], int, int);

/**
 * Semantic search for a user: the p_limit (1 to 100) messages whose embeddings are most similar
 * (cosine) to p_query, only from channels p_user_id may read (public ones, and private and direct
 * ones they are a member of); with p_channel_id, in that channel only, which they must be allowed
 * to read (else insufficient_privilege). Deleted messages and embeddings of another length are
 * left out. Computed over real[] in SQL, so it works without pgvector (by a full scan).
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
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
BEGIN
    PERFORM chat.require_user(p_user_id);
    IF p_query IS NULL THEN
        RAISE EXCEPTION 'query embedding must not be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    PERFORM chat.check_embedding(p_query, 'query embedding');
    IF p_channel_id IS NOT NULL THEN
        PERFORM chat.require_access(p_user_id, p_channel_id);
    END IF;
    IF p_limit IS NULL OR p_limit NOT BETWEEN 1 AND 100 THEN
        RAISE EXCEPTION 'limit must be between 1 and 100 (was %)', coalesce(p_limit::text, 'NULL')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN QUERY
    WITH readable AS (
        SELECT c.id FROM chat.channels c
         WHERE (p_channel_id IS NULL OR c.id = p_channel_id)
           AND (c.channel_type = 'public'
                OR EXISTS (SELECT 1 FROM chat.channel_members cm
                            WHERE cm.channel_id = c.id AND cm.user_id = p_user_id))
    )
    SELECT s.id, s.channel_id, s.user_id, u.username, s.content, s.similarity, s.created_at
      FROM (SELECT m.id, m.channel_id, m.user_id, m.content, m.created_at,
                   chat.cosine_similarity(m.embedding, p_query) AS similarity
              FROM chat.messages m JOIN readable r ON r.id = m.channel_id
             WHERE m.deleted_at IS NULL
               AND cardinality(m.embedding) = cardinality(p_query)) s
      LEFT JOIN chat.users u ON u.id = s.user_id
     WHERE s.similarity IS NOT NULL
     ORDER BY s.similarity DESC, s.id DESC
     LIMIT p_limit;
END;
$$;

DROP FUNCTION IF EXISTS chat.store_message_analysis(bigint, real[], real);

/**
 * Stores what a worker computed for a message: its embedding (non-empty, finite), its sentiment
 * in [-1, 1] and its importance in [0, 1] (as metadata.importance, which chat.should_notify_user
 * reads). A NULL argument leaves that value unchanged; at least one is required. Does not count
 * as an edit: no edited_at and no event, so no worker is asked to analyse the message again.
 */
CREATE OR REPLACE FUNCTION chat.store_message_analysis(
    p_message_id bigint, p_embedding real[], p_sentiment real, p_importance real DEFAULT NULL
) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF p_embedding IS NULL AND p_sentiment IS NULL AND p_importance IS NULL THEN
        RAISE EXCEPTION 'embedding, sentiment and importance must not all be NULL'
            USING ERRCODE = 'null_value_not_allowed';
    END IF;
    PERFORM chat.check_embedding(p_embedding);
    IF p_sentiment IS NOT NULL AND NOT (p_sentiment BETWEEN -1 AND 1) THEN
        RAISE EXCEPTION 'sentiment must be between -1 and 1 (was %)', p_sentiment
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_importance IS NOT NULL AND NOT (p_importance BETWEEN 0 AND 1) THEN
        RAISE EXCEPTION 'importance must be between 0 and 1 (was %)', p_importance
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    UPDATE chat.messages
       SET embedding = coalesce(p_embedding, embedding),
           sentiment = coalesce(p_sentiment, sentiment),
           metadata = CASE WHEN p_importance IS NULL THEN metadata
                           ELSE metadata || jsonb_build_object('importance', round(p_importance::numeric, 3)) END
     WHERE id = p_message_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'message_id %: no such message', p_message_id USING ERRCODE = 'no_data_found';
    END IF;
END;
$$;

DROP FUNCTION IF EXISTS chat.complete_ai_request(bigint, text, text);

/**
 * Answers a claimed request: posts p_reply (same rules as any message) in the request's channel
 * as an ai_suggestion message with metadata p_metadata (a JSON object, such as {generator}) plus
 * {in_reply_to, ai_request_id}, marks the request done and returns the new message's id. With
 * p_worker, refuses a request claimed by another worker (its lease expired and someone else took
 * it over). A request has at most one reply (unique index messages_one_reply_per_request).
 */
CREATE OR REPLACE FUNCTION chat.complete_ai_request(
    p_request_id bigint, p_reply text, p_worker text DEFAULT NULL, p_metadata jsonb DEFAULT NULL
) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_request chat.ai_response_queue;
    v_message_id bigint;
BEGIN
    IF p_metadata IS NOT NULL AND jsonb_typeof(p_metadata) <> 'object' THEN
        RAISE EXCEPTION 'metadata must be a JSON object (was a JSON %)', jsonb_typeof(p_metadata)
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    v_request := chat.lock_processing_request(p_request_id, p_worker);
    PERFORM chat.check_content(p_reply, 'reply');
    INSERT INTO chat.messages (channel_id, user_id, content, message_type, metadata)
    VALUES (v_request.channel_id, NULL, p_reply, 'ai_suggestion',
            coalesce(p_metadata, '{}') || jsonb_build_object(
                'in_reply_to', v_request.message_id, 'ai_request_id', v_request.id))
    RETURNING id INTO v_message_id;
    UPDATE chat.ai_response_queue
       SET status = 'done', completed_at = now(), response_message_id = v_message_id, last_error = NULL
     WHERE id = p_request_id;
    RETURN v_message_id;
END;
$$;

/**
 * A channel's messages for the workers, oldest first: the p_limit (1 to 1000) latest messages
 * before p_before_id (all when NULL) that are not deleted, with their embeddings (NULL until
 * analysed).
 */
CREATE OR REPLACE FUNCTION chat.channel_history(
    p_channel_id int, p_before_id bigint DEFAULT NULL, p_limit int DEFAULT 200
) RETURNS TABLE (
    message_id   bigint,
    user_id      int,
    username     text,
    content      text,
    message_type text,
    embedding    real[],
    created_at   timestamptz
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
    SELECT h.id, h.user_id, h.username, h.content, h.message_type, h.embedding, h.created_at
      FROM (SELECT m.id, m.user_id, u.username, m.content, m.message_type, m.embedding, m.created_at
              FROM chat.messages m LEFT JOIN chat.users u ON u.id = m.user_id
             WHERE m.channel_id = p_channel_id AND m.deleted_at IS NULL
               AND (p_before_id IS NULL OR m.id < p_before_id)
             ORDER BY m.id DESC
             LIMIT p_limit) h
     ORDER BY h.id;
END;
$$;

/**
 * True when the channel's summary is due: at least p_min_messages user messages arrived since the
 * last summary (or ever, when there is none), or at least one arrived and the last summary is
 * older than p_max_age.
 */
CREATE OR REPLACE FUNCTION chat.summary_due(p_channel_id int, p_min_messages int, p_max_age interval)
RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_last timestamptz;
    v_new int;
BEGIN
    PERFORM chat.require_channel(p_channel_id);
    SELECT updated_at INTO v_last FROM chat.conversation_memory WHERE channel_id = p_channel_id;
    SELECT count(*) INTO v_new FROM chat.messages
     WHERE channel_id = p_channel_id AND message_type = 'user' AND deleted_at IS NULL
       AND (v_last IS NULL OR created_at > v_last);
    RETURN v_new >= p_min_messages OR (v_new > 0 AND v_last IS NOT NULL AND v_last < now() - p_max_age);
END;
$$;

/**
 * Replaces the channel's stored reply suggestions with p_suggestions (1 to 10, not blank) for the
 * question p_message_id, with p_confidences in [0, 1] (same length).
 */
CREATE OR REPLACE FUNCTION chat.save_reply_suggestions(
    p_channel_id int, p_message_id bigint, p_suggestions text[], p_confidences real[]
) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM chat.require_channel(p_channel_id);
    IF NOT EXISTS (SELECT 1 FROM chat.messages WHERE id = p_message_id AND channel_id = p_channel_id) THEN
        RAISE EXCEPTION 'message_id %: no such message in channel %', coalesce(p_message_id::text, 'NULL'),
            p_channel_id USING ERRCODE = 'no_data_found';
    END IF;
    IF coalesce(cardinality(p_suggestions), 0) NOT BETWEEN 1 AND 10
       OR cardinality(p_suggestions) IS DISTINCT FROM cardinality(p_confidences) THEN
        RAISE EXCEPTION 'need 1 to 10 suggestions and one confidence each (were %, %)',
            coalesce(cardinality(p_suggestions), 0), coalesce(cardinality(p_confidences), 0)
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    -- Two workers may save a channel's suggestions at once (a redelivered record, a rebalance):
    -- one at a time per channel, so the second replaces the first instead of colliding with it.
    PERFORM pg_advisory_xact_lock(hashtext('zgres.reply_suggestions'), p_channel_id);
    DELETE FROM chat.reply_suggestions WHERE channel_id = p_channel_id;
    INSERT INTO chat.reply_suggestions (channel_id, position, message_id, suggestion, confidence)
    SELECT p_channel_id, s.i, p_message_id, s.text, s.confidence
      FROM unnest(p_suggestions, p_confidences) WITH ORDINALITY AS s (text, confidence, i);
END;
$$;

/**
 * The seed's suggest_replies, without calling a model: up to p_limit (1 to 10) stored suggestions
 * for the channel's latest question, best first. Checks no permission: callers that act for a
 * user check chat.may_read first (the gateway does).
 */
CREATE OR REPLACE FUNCTION chat.suggest_replies(p_channel_id int, p_limit int DEFAULT 3)
RETURNS TABLE (suggestion text, confidence double precision, message_id bigint)
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
BEGIN
    PERFORM chat.require_channel(p_channel_id);
    IF p_limit IS NULL OR p_limit NOT BETWEEN 1 AND 10 THEN
        RAISE EXCEPTION 'limit must be between 1 and 10 (was %)', coalesce(p_limit::text, 'NULL')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN QUERY
    SELECT r.suggestion, r.confidence::double precision, r.message_id
      FROM chat.reply_suggestions r
     WHERE r.channel_id = p_channel_id
     ORDER BY r.position
     LIMIT p_limit;
END;
$$;

/**
 * The seed's find_similar_conversations: other channels whose conversation summaries are most
 * similar (cosine of the summary embeddings) to this channel's, with the key points they share;
 * with p_user_id, only channels that user may read. Empty when the channel has no summary yet.
 */
CREATE OR REPLACE FUNCTION chat.find_similar_conversations(
    p_channel_id int, p_limit int DEFAULT 5, p_user_id int DEFAULT NULL
) RETURNS TABLE (channel_id int, channel_name text, similarity double precision, common_topics text[])
LANGUAGE plpgsql STABLE AS $$
#variable_conflict use_column
BEGIN
    PERFORM chat.require_channel(p_channel_id);
    IF p_limit IS NULL OR p_limit NOT BETWEEN 1 AND 100 THEN
        RAISE EXCEPTION 'limit must be between 1 and 100 (was %)', coalesce(p_limit::text, 'NULL')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN QUERY
    SELECT s.channel_id, s.name::text, s.similarity, s.common
      FROM (SELECT cm.channel_id, ch.name,
                   chat.cosine_similarity(cm.context_embedding, cur.context_embedding) AS similarity,
                   ARRAY(SELECT k FROM unnest(cm.key_points) AS k
                          WHERE k = ANY (cur.key_points) ORDER BY k) AS common
              FROM chat.conversation_memory cur
              JOIN chat.conversation_memory cm ON cm.channel_id <> cur.channel_id
              JOIN chat.channels ch ON ch.id = cm.channel_id
             WHERE cur.channel_id = p_channel_id
               AND (p_user_id IS NULL OR chat.may_read(p_user_id, cm.channel_id))) s
     WHERE s.similarity IS NOT NULL
     ORDER BY s.similarity DESC, s.channel_id
     LIMIT p_limit;
END;
$$;

DROP FUNCTION IF EXISTS chat.flag_message(bigint, text, text[]);

/**
 * Flags a message for moderators: opens (or adds to) its pending case in chat.moderation_queue,
 * records {moderated: true, risk_level, reasons, category} in the message's metadata and emits a
 * message_moderated event {event, message_id, channel_id, risk_level, reasons, category} on the
 * message's own channel (chat_message_<channel_id>) through zgres.emit, so that every consumer
 * sees the verdict ordered after the message. p_risk_level is warning or unsafe; a case keeps the
 * higher level and every reason once, in order of arrival; p_category (spam, scam, phishing,
 * harassment, threat, hate, ...) may be NULL. Returns the case id.
 */
CREATE OR REPLACE FUNCTION chat.flag_message(
    p_message_id bigint, p_risk_level text, p_reasons text[], p_category text DEFAULT NULL
) RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_case chat.moderation_queue;
    v_channel_id int;
BEGIN
    IF p_risk_level IS NULL OR p_risk_level NOT IN ('warning', 'unsafe') THEN
        RAISE EXCEPTION 'risk_level must be warning or unsafe (was %)', chat.shown(p_risk_level)
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF array_position(p_reasons, NULL) IS NOT NULL THEN
        RAISE EXCEPTION 'reasons must not contain NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF p_category IS NOT NULL AND p_category !~ '^[a-z][a-z_]{0,29}$' THEN
        RAISE EXCEPTION 'category must be 1 to 30 lower-case letters or underscores (was %)',
            chat.shown(p_category) USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT channel_id INTO v_channel_id FROM chat.messages WHERE id = p_message_id;
    IF p_message_id IS NULL OR v_channel_id IS NULL THEN
        RAISE EXCEPTION 'message_id %: no such message', coalesce(p_message_id::text, 'NULL')
            USING ERRCODE = 'no_data_found';
    END IF;

    INSERT INTO chat.moderation_queue AS q (message_id, risk_level, reasons)
    VALUES (p_message_id, p_risk_level, coalesce(p_reasons, '{}'))
    ON CONFLICT (message_id) WHERE status = 'pending' DO UPDATE
        SET risk_level = CASE WHEN 'unsafe' IN (q.risk_level, EXCLUDED.risk_level) THEN 'unsafe' ELSE 'warning' END,
            reasons = ARRAY(SELECT r FROM unnest(q.reasons || EXCLUDED.reasons) WITH ORDINALITY AS t (r, i)
                             GROUP BY r ORDER BY min(i))
    RETURNING * INTO v_case;

    UPDATE chat.messages
       SET metadata = metadata || jsonb_build_object(
               'moderated', true, 'risk_level', v_case.risk_level, 'reasons', to_jsonb(v_case.reasons))
           || CASE WHEN p_category IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('category', p_category) END
     WHERE id = p_message_id;

    PERFORM zgres.emit(chat.message_channel(v_channel_id), jsonb_build_object(
        'event', 'message_moderated',
        'message_id', p_message_id,
        'channel_id', v_channel_id,
        'risk_level', v_case.risk_level,
        'reasons', to_jsonb(v_case.reasons),
        'category', p_category)::text);
    RETURN v_case.id;
END;
$$;
