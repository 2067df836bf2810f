-- Chat users and friends: the book's register, login and friend-list functions, plus the small
-- helpers the later chat migrations share. Idempotent: safe to re-run.
--
-- Errors carry an SQLSTATE a caller can act on:
--   22023 invalid_parameter_value   bad input; the message names the field
--   22004 null_value_not_allowed    a required argument is NULL
--   P0002 no_data_found             an id that does not exist
--   23505 unique_violation          a name already taken
--   28P01 invalid_password          failed login
--   42501 insufficient_privilege    the user may not do this (membership, friends only)

/** A value for an error message: quoted and cut to 60 characters, or NULL. */
CREATE OR REPLACE FUNCTION chat.shown(p_value text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN p_value IS NULL THEN 'NULL'
                WHEN char_length(p_value) > 60 THEN '"' || left(p_value, 60) || '..."'
                ELSE '"' || p_value || '"' END;
$$;

/** Raises no_data_found unless the user exists; p_field names the argument in the message. */
CREATE OR REPLACE FUNCTION chat.require_user(p_user_id int, p_field text DEFAULT 'user_id') RETURNS void
LANGUAGE plpgsql STABLE AS $$
BEGIN
    IF p_user_id IS NULL THEN
        RAISE EXCEPTION '% must not be NULL', p_field USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM chat.users WHERE id = p_user_id) THEN
        RAISE EXCEPTION '% %: no such user', p_field, p_user_id USING ERRCODE = 'no_data_found';
    END IF;
END;
$$;

/** bcrypt hash of a password (pgcrypto; search_path set below to the extension's schema). */
CREATE OR REPLACE FUNCTION chat.hash_password(p_password text) RETURNS text
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    RETURN crypt(p_password, gen_salt('bf'));
END;
$$;

/** True when p_password hashes to p_hash. */
CREATE OR REPLACE FUNCTION chat.password_matches(p_password text, p_hash text) RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
BEGIN
    RETURN crypt(p_password, p_hash) = p_hash;
END;
$$;

DO $$
DECLARE
    v_schema text;
BEGIN
    SELECT n.nspname INTO STRICT v_schema
      FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
     WHERE e.extname = 'pgcrypto';
    EXECUTE format('ALTER FUNCTION chat.hash_password(text) SET search_path = pg_catalog, %I, pg_temp', v_schema);
    EXECUTE format('ALTER FUNCTION chat.password_matches(text, text) SET search_path = pg_catalog, %I, pg_temp', v_schema);
END;
$$;

/**
 * Creates a user and returns its id. username: 3 to 32 letters, digits or underscores, unique
 * regardless of case; password: 8 to 72 bytes (bcrypt ignores bytes past 72, so longer ones are
 * refused rather than silently cut), stored as a bcrypt hash; email: name@domain.tld, at most 254
 * characters. The display name starts as the username.
 */
CREATE OR REPLACE FUNCTION chat.register_user(p_username text, p_password text, p_email text) RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
    v_id int;
    v_constraint text;
BEGIN
    IF p_username IS NULL OR p_username !~ '^[A-Za-z0-9_]{3,32}$' THEN
        RAISE EXCEPTION 'username must be 3 to 32 letters, digits or underscores (was %)', chat.shown(p_username)
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_password IS NULL OR char_length(p_password) < 8 THEN
        RAISE EXCEPTION 'password must be at least 8 characters long'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF octet_length(p_password) > 72 THEN
        RAISE EXCEPTION 'password must be at most 72 bytes long (was % bytes)', octet_length(p_password)
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_email IS NULL OR char_length(p_email) > 254
       OR p_email !~ '^[^@[:space:]]+@[^@[:space:]]+\.[^@[:space:]]+$' THEN
        RAISE EXCEPTION 'email must look like name@example.org and be at most 254 characters (was %)',
            chat.shown(p_email)
            USING ERRCODE = 'invalid_parameter_value';
    END IF;

    BEGIN
        INSERT INTO chat.users (username, password_hash, email, display_name)
        VALUES (p_username, chat.hash_password(p_password), p_email, p_username)
        RETURNING id INTO v_id;
    EXCEPTION WHEN unique_violation THEN
        GET STACKED DIAGNOSTICS v_constraint = CONSTRAINT_NAME;
        IF v_constraint = 'users_username_key' THEN
            RAISE EXCEPTION 'username "%" is already taken', p_username
                USING ERRCODE = 'unique_violation';
        END IF;
        RAISE;
    END;
    RETURN v_id;
END;
$$;

/**
 * Checks a username (any case) and password and returns the user's id, updating last_seen. An
 * unknown user and a wrong password give the same error, 'invalid username or password'
 * (SQLSTATE 28P01), after the same bcrypt work, so neither message nor timing tells which
 * usernames exist.
 */
CREATE OR REPLACE FUNCTION chat.login(p_username text, p_password text) RETURNS int
LANGUAGE plpgsql AS $$
DECLARE
    v_id int;
    v_hash text;
    v_ok boolean;
BEGIN
    SELECT id, password_hash INTO v_id, v_hash
      FROM chat.users WHERE lower(username) = lower(p_username);
    IF v_id IS NULL THEN
        PERFORM chat.hash_password(coalesce(p_password, ''));
        v_ok := false;
    ELSE
        v_ok := p_password IS NOT NULL AND chat.password_matches(p_password, v_hash);
    END IF;
    IF NOT v_ok THEN
        RAISE EXCEPTION 'invalid username or password' USING ERRCODE = 'invalid_password';
    END IF;
    UPDATE chat.users SET last_seen = now() WHERE id = v_id;
    RETURN v_id;
END;
$$;

/**
 * Replaces p_user_id's friend list with p_friend_ids (duplicates ignored; an empty array clears
 * it). Refuses NULL, the user's own id and unknown ids, naming them; nothing changes then.
 */
CREATE OR REPLACE FUNCTION chat.set_friends(p_user_id int, p_friend_ids int[]) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    v_unknown text;
BEGIN
    PERFORM chat.require_user(p_user_id);
    IF p_friend_ids IS NULL THEN
        RAISE EXCEPTION 'friend_ids must not be NULL (an empty array clears the list)'
            USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF array_position(p_friend_ids, NULL) IS NOT NULL THEN
        RAISE EXCEPTION 'friend_ids must not contain NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF p_user_id = ANY (p_friend_ids) THEN
        RAISE EXCEPTION 'friend_ids must not contain the user''s own id %', p_user_id
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT string_agg(f::text, ', ' ORDER BY f) INTO v_unknown
      FROM (SELECT DISTINCT f FROM unnest(p_friend_ids) AS f) d
     WHERE NOT EXISTS (SELECT 1 FROM chat.users u WHERE u.id = d.f);
    IF v_unknown IS NOT NULL THEN
        RAISE EXCEPTION 'friend_ids contains unknown user ids: %', v_unknown
            USING ERRCODE = 'no_data_found';
    END IF;

    -- Serialise concurrent replacements of the same list.
    PERFORM 1 FROM chat.users WHERE id = p_user_id FOR NO KEY UPDATE;
    DELETE FROM chat.friends WHERE user_id = p_user_id AND friend_id <> ALL (p_friend_ids);
    INSERT INTO chat.friends (user_id, friend_id)
    SELECT DISTINCT p_user_id, f FROM unnest(p_friend_ids) AS f
    ON CONFLICT DO NOTHING;
END;
$$;

/** The users p_user_id has listed as friends, by id. */
CREATE OR REPLACE FUNCTION chat.get_friends(p_user_id int)
RETURNS TABLE (friend_id int, username text)
LANGUAGE plpgsql STABLE AS $$
BEGIN
    PERFORM chat.require_user(p_user_id);
    RETURN QUERY
    SELECT u.id, u.username
      FROM chat.friends f JOIN chat.users u ON u.id = f.friend_id
     WHERE f.user_id = p_user_id
     ORDER BY u.id;
END;
$$;

/** With p_flag true, the user takes direct messages only from users on their friend list. */
CREATE OR REPLACE FUNCTION chat.set_friends_only(p_user_id int, p_flag boolean) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM chat.require_user(p_user_id);
    IF p_flag IS NULL THEN
        RAISE EXCEPTION 'flag must not be NULL' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    UPDATE chat.users SET friends_only = p_flag WHERE id = p_user_id;
END;
$$;
