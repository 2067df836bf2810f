-- Entry points for the workers that run models outside the database (AI worker, moderator):
-- claim and answer assistant requests, store embeddings and sentiment, search by embedding,
-- keep conversation summaries, flag messages. Nothing here calls a model. Idempotent.

/** Raises invalid_parameter_value unless p_embedding is a non-empty 1-D array of finite numbers. */
CREATE OR REPLACE FUNCTION chat.check_embedding(p_embedding real[], p_field text DEFAULT 'embedding') RETURNS void
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
    IF p_embedding IS NULL THEN
        RETURN;
    END IF;
    IF array_ndims(p_embedding) IS DISTINCT FROM 1 OR cardinality(p_embedding) = 0 THEN
        RAISE EXCEPTION '% must be a non-empty one-dimensional array', p_field
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF EXISTS (SELECT 1 FROM unnest(p_embedding) AS x
                WHERE x IS NULL OR x = 'NaN'::real OR x IN ('Infinity'::real, '-Infinity'::real)) THEN
        RAISE EXCEPTION '% must contain only finite numbers (no NULL, NaN or infinity)', p_field
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
END;
$$;

/**
 * Cosine similarity of two vectors of the same length, in [-1, 1]; NULL when the lengths differ
 * or either vector is all zeros.
 */
CREATE OR REPLACE FUNCTION chat.cosine_similarity(p_a real[], p_b real[]) RETURNS double precision
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE WHEN s.norm_a = 0 OR s.norm_b = 0 THEN NULL
                ELSE s.dot / (sqrt(s.norm_a) * sqrt(s.norm_b)) END
      FROM (SELECT sum(a::float8 * b::float8) AS dot,
                   sum(a::float8 * a::float8) AS norm_a,
                   sum(b::float8 * b::float8) AS norm_b
              FROM unnest(p_a, p_b) AS v (a, b)) s
     WHERE cardinality(p_a) = cardinality(p_b);
$$;

/**
 * Claims up to p_n (1 to 100) assistant requests for worker p_worker, most urgent (lowest
 * priority number) first, then oldest: they become 'processing', claimed by p_worker, with
 * attempts counted. Concurrent workers never get the same request (FOR UPDATE SKIP LOCKED). A
 * request whose worker went silent for longer than p_lease is claimed again, unless it has used
 * p_max_attempts, in which case it fails; requests for messages deleted meanwhile fail too.
 */
CREATE OR REPLACE FUNCTION chat.claim_ai_requests(
    p_worker text, p_n int, p_lease interval DEFAULT '5 minutes', p_max_attempts int DEFAULT 5
) RETURNS TABLE (
    request_id   bigint,
    message_id   bigint,
    channel_id   int,
    priority     smallint,
    attempts     int,
    user_id      int,
    username     text,
    content      text,
    channel_name text
)
LANGUAGE plpgsql AS $$
#variable_conflict use_column
BEGIN
    IF p_worker IS NULL OR btrim(p_worker) = '' OR char_length(p_worker) > 100 THEN
        RAISE EXCEPTION 'worker must be 1 to 100 characters, not blank (was %)', chat.shown(p_worker)
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_n IS NULL OR p_n NOT BETWEEN 1 AND 100 THEN
        RAISE EXCEPTION 'n must be between 1 and 100 (was %)', coalesce(p_n::text, 'NULL')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_lease IS NULL OR p_lease <= interval '0' OR p_max_attempts IS NULL OR p_max_attempts < 1 THEN
        RAISE EXCEPTION 'lease must be positive and max_attempts at least 1 (were %, %)',
            coalesce(p_lease::text, 'NULL'), coalesce(p_max_attempts::text, 'NULL')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;

    UPDATE chat.ai_response_queue q
       SET status = 'failed', completed_at = now(), last_error = d.reason
      FROM (SELECT r.id,
                   CASE WHEN m.deleted_at IS NOT NULL THEN 'message was deleted'
                        ELSE format('lease of %s expired after %s attempts', r.claimed_by, r.attempts) END AS reason
              FROM chat.ai_response_queue r JOIN chat.messages m ON m.id = r.message_id
             WHERE (r.status = 'pending' AND m.deleted_at IS NOT NULL)
                OR (r.status = 'processing' AND r.claimed_at < now() - p_lease
                    AND (r.attempts >= p_max_attempts OR m.deleted_at IS NOT NULL))
               FOR UPDATE OF r SKIP LOCKED) d
     WHERE q.id = d.id;

    RETURN QUERY
    WITH picked AS (
        SELECT q.id
          FROM chat.ai_response_queue q
         WHERE q.status = 'pending'
            OR (q.status = 'processing' AND q.claimed_at < now() - p_lease)
         ORDER BY q.priority, q.id
         LIMIT p_n
         FOR UPDATE SKIP LOCKED
    ), claimed AS (
        UPDATE chat.ai_response_queue q
           SET status = 'processing', attempts = q.attempts + 1, claimed_by = p_worker, claimed_at = now()
          FROM picked
         WHERE q.id = picked.id
        RETURNING q.id, q.message_id, q.channel_id, q.priority, q.attempts
    )
    SELECT c.id, c.message_id, c.channel_id, c.priority, c.attempts, m.user_id, u.username, m.content, ch.name
      FROM claimed c
      JOIN chat.messages m ON m.id = c.message_id
      JOIN chat.channels ch ON ch.id = c.channel_id
      LEFT JOIN chat.users u ON u.id = m.user_id
     ORDER BY c.priority, c.id;
END;
$$;

/** Locks a request that is being processed (by p_worker, when given) or raises. */
CREATE OR REPLACE FUNCTION chat.lock_processing_request(p_request_id bigint, p_worker text)
RETURNS chat.ai_response_queue
LANGUAGE plpgsql AS $$
DECLARE
    v_request chat.ai_response_queue;
BEGIN
    SELECT * INTO v_request FROM chat.ai_response_queue WHERE id = p_request_id FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'request_id %: no such AI request', p_request_id USING ERRCODE = 'no_data_found';
    END IF;
    IF v_request.status <> 'processing' THEN
        RAISE EXCEPTION 'AI request % is %, not processing', p_request_id, v_request.status
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    IF p_worker IS NOT NULL AND v_request.claimed_by IS DISTINCT FROM p_worker THEN
        RAISE EXCEPTION 'AI request % is claimed by %, not by %', p_request_id,
            chat.shown(v_request.claimed_by), chat.shown(p_worker)
            USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    RETURN v_request;
END;
$$;

/**
 * Answers a claimed request: posts p_reply (same rules as any message) in the request's channel
 * as an ai_suggestion message with metadata {in_reply_to, ai_request_id}, marks the request done
 * and returns the new message's id. With p_worker, refuses a request claimed by another worker
 * (its lease expired and someone else took it over).
 */
CREATE OR REPLACE FUNCTION chat.complete_ai_request(p_request_id bigint, p_reply text, p_worker text DEFAULT NULL)
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_request chat.ai_response_queue;
    v_message_id bigint;
BEGIN
    v_request := chat.lock_processing_request(p_request_id, p_worker);
    PERFORM chat.check_content(p_reply, 'reply');
    INSERT INTO chat.messages (channel_id, user_id, content, message_type, metadata)
    VALUES (v_request.channel_id, NULL, p_reply, 'ai_suggestion',
            jsonb_build_object('in_reply_to', v_request.message_id, 'ai_request_id', v_request.id))
    RETURNING id INTO v_message_id;
    UPDATE chat.ai_response_queue
       SET status = 'done', completed_at = now(), response_message_id = v_message_id, last_error = NULL
     WHERE id = p_request_id;
    RETURN v_message_id;
END;
$$;

/**
 * Reports that a claimed request could not be answered: it goes back to pending for another try,
 * or fails once it has used p_max_attempts. Returns the new status.
 */
CREATE OR REPLACE FUNCTION chat.fail_ai_request(
    p_request_id bigint, p_error text, p_worker text DEFAULT NULL, p_max_attempts int DEFAULT 5
) RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    v_request chat.ai_response_queue;
    v_status text;
BEGIN
    v_request := chat.lock_processing_request(p_request_id, p_worker);
    v_status := CASE WHEN v_request.attempts >= coalesce(p_max_attempts, 5) THEN 'failed' ELSE 'pending' END;
    UPDATE chat.ai_response_queue
       SET status = v_status, last_error = left(p_error, 2000), claimed_by = NULL, claimed_at = NULL,
           completed_at = CASE WHEN v_status = 'failed' THEN now() END
     WHERE id = p_request_id;
    RETURN v_status;
END;
$$;

/**
 * Stores what a worker computed for a message: its embedding (non-empty, finite) and its
 * sentiment in [-1, 1]. A NULL argument leaves that value unchanged; at least one is required.
 * Does not count as an edit (no edited_at, no event).
 */
CREATE OR REPLACE FUNCTION chat.store_message_analysis(p_message_id bigint, p_embedding real[], p_sentiment real)
RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF p_embedding IS NULL AND p_sentiment IS NULL THEN
        RAISE EXCEPTION 'embedding and sentiment must not both be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    PERFORM chat.check_embedding(p_embedding);
    IF p_sentiment IS NOT NULL AND NOT (p_sentiment BETWEEN -1 AND 1) THEN
        RAISE EXCEPTION 'sentiment must be between -1 and 1 (was %)', p_sentiment
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    UPDATE chat.messages
       SET embedding = coalesce(p_embedding, embedding), sentiment = coalesce(p_sentiment, sentiment)
     WHERE id = p_message_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'message_id %: no such message', p_message_id USING ERRCODE = 'no_data_found';
    END IF;
END;
$$;

/**
 * The p_limit (1 to 100) messages whose embeddings are most similar (cosine) to p_query, in one
 * channel or, with p_channel_id NULL, in all; deleted messages and embeddings of another length
 * are left out. Computed over real[] in SQL, so it works without pgvector (by a full scan).
 */
CREATE OR REPLACE FUNCTION chat.search_messages_by_embedding(
    p_query real[], p_channel_id int DEFAULT NULL, p_limit int DEFAULT 10
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
    IF p_query IS NULL THEN
        RAISE EXCEPTION 'query embedding must not be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    PERFORM chat.check_embedding(p_query, 'query embedding');
    IF p_channel_id IS NOT NULL THEN
        PERFORM chat.require_channel(p_channel_id);
    END IF;
    IF p_limit IS NULL OR p_limit NOT BETWEEN 1 AND 100 THEN
        RAISE EXCEPTION 'limit must be between 1 and 100 (was %)', coalesce(p_limit::text, 'NULL')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN QUERY
    SELECT s.id, s.channel_id, s.user_id, u.username, s.content, s.similarity, s.created_at
      FROM (SELECT m.id, m.channel_id, m.user_id, m.content, m.created_at,
                   chat.cosine_similarity(m.embedding, p_query) AS similarity
              FROM chat.messages m
             WHERE (p_channel_id IS NULL OR m.channel_id = p_channel_id)
               AND m.deleted_at IS NULL
               AND cardinality(m.embedding) = cardinality(p_query)) s
      LEFT JOIN chat.users u ON u.id = s.user_id
     WHERE s.similarity IS NOT NULL
     ORDER BY s.similarity DESC, s.id DESC
     LIMIT p_limit;
END;
$$;

/**
 * Stores the channel's conversation summary (replacing the previous one) with its key points
 * and embedding; returns the conversation_memory id.
 */
CREATE OR REPLACE FUNCTION chat.save_conversation_summary(
    p_channel_id int, p_summary text, p_key_points text[], p_embedding real[]
) RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
    v_id int;
BEGIN
    PERFORM chat.require_channel(p_channel_id);
    IF p_summary IS NULL OR btrim(p_summary) = '' THEN
        RAISE EXCEPTION 'summary must not be empty' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF array_position(p_key_points, NULL) IS NOT NULL THEN
        RAISE EXCEPTION 'key_points must not contain NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    PERFORM chat.check_embedding(p_embedding);
    INSERT INTO chat.conversation_memory (channel_id, summary, key_points, context_embedding, updated_at)
    VALUES (p_channel_id, p_summary, coalesce(p_key_points, '{}'), p_embedding, now())
    ON CONFLICT (channel_id) DO UPDATE
        SET summary = EXCLUDED.summary,
            key_points = EXCLUDED.key_points,
            context_embedding = EXCLUDED.context_embedding,
            updated_at = EXCLUDED.updated_at
    RETURNING id INTO v_id;
    RETURN v_id;
END;
$$;

/**
 * Flags a message for moderators: opens (or adds to) its pending case in chat.moderation_queue
 * and records {moderated: true, risk_level, reasons} in the message's metadata. p_risk_level is
 * warning or unsafe; a case keeps the higher level and every reason once, in order of arrival.
 * Returns the case id.
 */
CREATE OR REPLACE FUNCTION chat.flag_message(p_message_id bigint, p_risk_level text, p_reasons text[])
RETURNS bigint
LANGUAGE plpgsql AS $$
DECLARE
    v_case chat.moderation_queue;
BEGIN
    IF p_risk_level IS NULL OR p_risk_level NOT IN ('warning', 'unsafe') THEN
        RAISE EXCEPTION 'risk_level must be warning or unsafe (was %)', chat.shown(p_risk_level)
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF array_position(p_reasons, NULL) IS NOT NULL THEN
        RAISE EXCEPTION 'reasons must not contain NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF p_message_id IS NULL OR NOT EXISTS (SELECT 1 FROM chat.messages WHERE id = p_message_id) THEN
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
     WHERE id = p_message_id;
    RETURN v_case.id;
END;
$$;
