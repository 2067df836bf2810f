package dev.zgres.bridge.config;

/**
 * One configuration setting, declared once: the environment variable that sets it, the command-line
 * flag that overrides it, its default and what it means. The launcher's options, the validation
 * messages and the README's configuration table all come from these declarations.
 *
 * @param env environment variable, e.g. {@code ZGRES_PG_URL}
 * @param flag command-line flag, e.g. {@code --pg-url}
 * @param defaultValue value when neither is given; empty means "empty"
 * @param description one line for the configuration table and {@code --help}
 */
public record Setting(String env, String flag, String defaultValue, String description) {}
