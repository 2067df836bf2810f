-- Chat notifications and analytics that need no model: notification preferences with quiet
-- hours, the should-I-notify decision, activity metrics and trending words. Idempotent.

/**
 * Sets p_user_id's notification preferences for a channel. p_level: all, mentions, important or
 * none; p_keywords: words that always notify (matched as plain text, any case; none may be blank
 * or longer than 100 characters, at most 50); p_quiet_hours: NULL for none, or
 * {"start": "HH:MM", "end": "HH:MM", "time_zone": "Europe/Paris"} (time_zone optional, UTC by
 * default; start after end means the quiet period spans midnight; start = end means none).
 */
CREATE OR REPLACE FUNCTION chat.set_notification_preferences(
    p_user_id int,
    p_channel_id int,
    p_level text DEFAULT 'all',
    p_keywords text[] DEFAULT '{}',
    p_quiet_hours jsonb DEFAULT NULL
) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_zone text := p_quiet_hours ->> 'time_zone';
BEGIN
    PERFORM chat.require_user(p_user_id);
    PERFORM chat.require_channel(p_channel_id);
    IF p_level IS NULL OR p_level NOT IN ('all', 'mentions', 'important', 'none') THEN
        RAISE EXCEPTION 'notification level must be all, mentions, important or none (was %)', chat.shown(p_level)
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF cardinality(p_keywords) > 50 THEN
        RAISE EXCEPTION 'keywords must be at most 50 (was %)', cardinality(p_keywords)
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF EXISTS (SELECT 1 FROM unnest(p_keywords) AS k WHERE k IS NULL OR btrim(k) = '' OR char_length(k) > 100) THEN
        RAISE EXCEPTION 'keywords must each be 1 to 100 characters, not blank'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_quiet_hours IS NOT NULL THEN
        IF jsonb_typeof(p_quiet_hours) <> 'object'
           OR coalesce(p_quiet_hours ->> 'start', '') !~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'
           OR coalesce(p_quiet_hours ->> 'end', '') !~ '^([01][0-9]|2[0-3]):[0-5][0-9]$' THEN
            RAISE EXCEPTION 'quiet_hours must be {"start": "HH:MM", "end": "HH:MM"} with 24-hour times (was %)',
                chat.shown(p_quiet_hours::text)
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        IF v_zone IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = v_zone) THEN
            RAISE EXCEPTION 'quiet_hours.time_zone must be a time zone name such as Europe/Paris (was %)',
                chat.shown(v_zone)
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
    END IF;
    INSERT INTO chat.notification_preferences (user_id, channel_id, notification_level, keywords, quiet_hours)
    VALUES (p_user_id, p_channel_id, p_level, coalesce(p_keywords, '{}'), p_quiet_hours)
    ON CONFLICT (user_id, channel_id) DO UPDATE
        SET notification_level = EXCLUDED.notification_level,
            keywords = EXCLUDED.keywords,
            quiet_hours = EXCLUDED.quiet_hours;
END;
$$;

/**
 * True when p_at falls in the quiet hours: [start, end) in the wall-clock time of
 * quiet_hours.time_zone (UTC when absent). start > end spans midnight (22:00-08:00 is quiet at
 * 23:30 and at 07:59, not at 08:00); start = end is no quiet period at all.
 */
CREATE OR REPLACE FUNCTION chat.in_quiet_hours(p_quiet_hours jsonb, p_at timestamptz) RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_start time;
    v_end time;
    v_local time;
BEGIN
    IF p_quiet_hours IS NULL OR p_at IS NULL THEN
        RETURN false;
    END IF;
    v_start := (p_quiet_hours ->> 'start')::time;
    v_end := (p_quiet_hours ->> 'end')::time;
    v_local := (p_at AT TIME ZONE coalesce(p_quiet_hours ->> 'time_zone', 'UTC'))::time;
    IF v_start = v_end THEN
        RETURN false;
    ELSIF v_start < v_end THEN
        RETURN v_local >= v_start AND v_local < v_end;
    ELSE
        RETURN v_local >= v_start OR v_local < v_end;
    END IF;
END;
$$;

/**
 * Whether p_user_id should be notified of message p_message_id at p_now (a parameter so that the
 * decision can be checked at any time of day). Never for one's own, deleted, or unreadable
 * messages; always when the user has no preferences for the channel. Otherwise: level none
 * never; within quiet hours never; a mention (@username as a whole word) or one of the
 * keywords (plain text, any case) always; then level all yes, mentions no, important when the
 * message is important (metadata.importance above 0.7, as a worker may set it, or the words
 * urgent, important, asap or emergency).
 */
CREATE OR REPLACE FUNCTION chat.should_notify_user(
    p_user_id int, p_message_id bigint, p_now timestamptz DEFAULT now()
) RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
DECLARE
    v_message chat.messages;
    v_prefs chat.notification_preferences;
    v_username text;
    v_channel_type text;
    v_content text;
BEGIN
    PERFORM chat.require_user(p_user_id);
    IF p_message_id IS NULL THEN
        RAISE EXCEPTION 'message_id must not be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    SELECT * INTO v_message FROM chat.messages WHERE id = p_message_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'message_id %: no such message', p_message_id USING ERRCODE = 'no_data_found';
    END IF;
    IF v_message.deleted_at IS NOT NULL OR v_message.user_id IS NOT DISTINCT FROM p_user_id THEN
        RETURN false;
    END IF;
    SELECT channel_type INTO v_channel_type FROM chat.channels WHERE id = v_message.channel_id;
    IF v_channel_type <> 'public' AND NOT EXISTS (
        SELECT 1 FROM chat.channel_members WHERE channel_id = v_message.channel_id AND user_id = p_user_id) THEN
        RETURN false;
    END IF;

    SELECT * INTO v_prefs FROM chat.notification_preferences
     WHERE user_id = p_user_id AND channel_id = v_message.channel_id;
    IF NOT FOUND THEN
        RETURN true;
    END IF;
    IF v_prefs.notification_level = 'none' OR chat.in_quiet_hours(v_prefs.quiet_hours, p_now) THEN
        RETURN false;
    END IF;

    -- Usernames are letters, digits and underscores only (users_username_format), so the name
    -- has nothing a regular expression would read as an operator.
    SELECT username INTO v_username FROM chat.users WHERE id = p_user_id;
    v_content := v_message.content;
    IF v_content ~* ('(^|[^[:alnum:]_])@' || v_username || '($|[^[:alnum:]_])') THEN
        RETURN true;
    END IF;
    IF EXISTS (SELECT 1 FROM unnest(v_prefs.keywords) AS k
                WHERE k <> '' AND strpos(lower(v_content), lower(k)) > 0) THEN
        RETURN true;
    END IF;

    RETURN CASE v_prefs.notification_level
        WHEN 'all' THEN true
        WHEN 'important' THEN
            coalesce(jsonb_typeof(v_message.metadata -> 'importance') = 'number'
                     AND (v_message.metadata ->> 'importance')::numeric > 0.7, false)
            OR v_content ~* '\m(urgent|important|asap|emergency)\M'
        ELSE false
    END;
END;
$$;

/** Percent change from p_previous to p_current; NULL when there is no base to compare with. */
CREATE OR REPLACE FUNCTION chat.change_percent(p_current numeric, p_previous numeric) RETURNS numeric
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN p_current IS NULL OR p_previous IS NULL THEN NULL
        WHEN p_previous = 0 THEN CASE WHEN p_current = 0 THEN 0 END
        ELSE round((p_current - p_previous) / abs(p_previous) * 100, 2)
    END;
$$;

/**
 * Activity in the period (p_now - p_interval, p_now] against the one before it: messages
 * (not deleted), active users, active channels and average sentiment. change_percent is
 * relative to the previous period and NULL when that has nothing to compare with (no messages,
 * or an average sentiment of 0), 0 when both periods are empty.
 */
CREATE OR REPLACE FUNCTION chat.get_activity_metrics(
    p_interval interval DEFAULT '1 hour', p_now timestamptz DEFAULT now()
) RETURNS TABLE (metric_name text, metric_value numeric, change_percent numeric)
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF p_interval IS NULL OR p_interval <= interval '0' THEN
        RAISE EXCEPTION 'interval must be positive (was %)', coalesce(p_interval::text, 'NULL')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_now IS NULL THEN
        RAISE EXCEPTION 'now must not be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    RETURN QUERY
    WITH periods AS (
        SELECT count(*) FILTER (WHERE m.created_at > p_now - p_interval) AS cur_messages,
               count(*) FILTER (WHERE m.created_at <= p_now - p_interval) AS prev_messages,
               count(DISTINCT m.user_id) FILTER (WHERE m.created_at > p_now - p_interval) AS cur_users,
               count(DISTINCT m.user_id) FILTER (WHERE m.created_at <= p_now - p_interval) AS prev_users,
               count(DISTINCT m.channel_id) FILTER (WHERE m.created_at > p_now - p_interval) AS cur_channels,
               count(DISTINCT m.channel_id) FILTER (WHERE m.created_at <= p_now - p_interval) AS prev_channels,
               avg(m.sentiment) FILTER (WHERE m.created_at > p_now - p_interval) AS cur_sentiment,
               avg(m.sentiment) FILTER (WHERE m.created_at <= p_now - p_interval) AS prev_sentiment
          FROM chat.messages m
         WHERE m.created_at > p_now - 2 * p_interval AND m.created_at <= p_now
           AND m.deleted_at IS NULL
    )
    SELECT v.name, v.cur, chat.change_percent(v.cur, v.prev)
      FROM periods p,
           LATERAL (VALUES
               (1, 'Messages', p.cur_messages::numeric, p.prev_messages::numeric),
               (2, 'Active Users', p.cur_users::numeric, p.prev_users::numeric),
               (3, 'Active Channels', p.cur_channels::numeric, p.prev_channels::numeric),
               (4, 'Average Sentiment', round(p.cur_sentiment::numeric, 3), round(p.prev_sentiment::numeric, 3))
           ) AS v (ord, name, cur, prev)
     ORDER BY v.ord;
END;
$$;

/**
 * The most mentioned words and #hashtags of user messages in public channels over the last
 * p_hours (1 to 720), by plain counting: mentions is the number of messages using the topic.
 * Words count from 4 characters and skip common English words; hashtags count from 2 (after the
 * #); @mentions are not topics. Private and direct channels stay out, so the result never
 * reveals what was said there.
 */
CREATE OR REPLACE FUNCTION chat.get_trending_topics(p_hours int DEFAULT 1, p_limit int DEFAULT 10)
RETURNS TABLE (topic text, mentions int, channels text[], sentiment_avg double precision)
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF p_hours IS NULL OR p_hours NOT BETWEEN 1 AND 720 THEN
        RAISE EXCEPTION 'hours must be between 1 and 720 (was %)', coalesce(p_hours::text, 'NULL')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_limit IS NULL OR p_limit NOT BETWEEN 1 AND 100 THEN
        RAISE EXCEPTION 'limit must be between 1 and 100 (was %)', coalesce(p_limit::text, 'NULL')
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    RETURN QUERY
    WITH recent AS (
        SELECT m.id, m.content, m.sentiment, c.name AS channel_name
          FROM chat.messages m JOIN chat.channels c ON c.id = m.channel_id
         WHERE m.created_at > now() - make_interval(hours => p_hours)
           AND m.deleted_at IS NULL AND m.message_type = 'user' AND c.channel_type = 'public'
    ), tokens AS (
        SELECT DISTINCT r.id, t.token, r.sentiment, r.channel_name
          FROM recent r,
               LATERAL (SELECT (regexp_matches(lower(r.content), '[#@]?[[:alnum:]_]+', 'g'))[1] AS token) t
    ), topics AS (
        SELECT * FROM tokens
         WHERE (token LIKE '#%' AND char_length(token) >= 3)
            OR (token !~ '^[#@]' AND char_length(token) >= 4 AND token !~ '^[0-9_]+$'
                AND token <> ALL (ARRAY[
                    'about', 'after', 'again', 'also', 'been', 'before', 'being', 'both', 'could',
                    'does', 'doing', 'dont', 'down', 'each', 'even', 'from', 'good', 'have', 'having',
                    'here', 'just', 'know', 'like', 'more', 'most', 'much', 'must', 'only', 'other',
                    'over', 'really', 'same', 'should', 'some', 'such', 'than', 'that', 'thanks',
                    'their', 'them', 'then', 'there', 'these', 'they', 'thing', 'think', 'this',
                    'those', 'very', 'want', 'well', 'were', 'what', 'when', 'where', 'which',
                    'while', 'will', 'with', 'would', 'your', 'yours', 'yeah']))
    )
    SELECT t.token, count(DISTINCT t.id)::int, array_agg(DISTINCT t.channel_name ORDER BY t.channel_name),
           avg(t.sentiment)::double precision
      FROM topics t
     GROUP BY t.token
     ORDER BY count(DISTINCT t.id) DESC, t.token
     LIMIT p_limit;
END;
$$;
