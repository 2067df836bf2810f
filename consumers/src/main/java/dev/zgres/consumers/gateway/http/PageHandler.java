package dev.zgres.consumers.gateway.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The chat page: static files from the class path ({@code dev/zgres/web/}), {@code /} being {@code
 * index.html}. Only flat names of known kinds are served (no directories, so no path escapes), with
 * a content security policy that allows scripts, styles and sockets of this origin only. Files are
 * read once and kept.
 */
public final class PageHandler extends Handler.Abstract {
  private static final String ROOT = "dev/zgres/web/";
  private static final Pattern NAME =
      Pattern.compile("^/([a-z][a-z0-9-]{0,40})\\.(html|js|css|svg)$");
  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml");
  private static final String POLICY =
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

  private final ClassLoader loader;
  private final Map<String, Optional<byte[]>> files = new ConcurrentHashMap<>();

  public PageHandler() {
    this(PageHandler.class.getClassLoader());
  }

  PageHandler(ClassLoader loader) {
    this.loader = loader;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    String method = request.getMethod();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      return false;
    }
    String path = request.getHttpURI().getPath();
    String file = path.equals("/") ? "/index.html" : path;
    var name = NAME.matcher(file);
    if (!name.matches()) {
      return false;
    }
    Optional<byte[]> body = files.computeIfAbsent(file, f -> read(f.substring(1)));
    if (body.isEmpty()) {
      return false;
    }
    response.setStatus(200);
    var headers = response.getHeaders();
    headers.put(HttpHeader.CONTENT_TYPE, TYPES.get(name.group(2)));
    headers.put(HttpHeader.CACHE_CONTROL, "no-cache");
    headers.put("Content-Security-Policy", POLICY);
    headers.put("X-Content-Type-Options", "nosniff");
    headers.put("Referrer-Policy", "no-referrer");
    response.write(
        true,
        method.equals("HEAD") ? null : ByteBuffer.wrap(body.get()).asReadOnlyBuffer(),
        callback);
    return true;
  }

  private Optional<byte[]> read(String name) {
    try (InputStream in = loader.getResourceAsStream(ROOT + name)) {
      return in == null ? Optional.empty() : Optional.of(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the page file " + name, e);
    }
  }
}
