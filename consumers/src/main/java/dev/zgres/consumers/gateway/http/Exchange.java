package dev.zgres.consumers.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

/** One HTTP request and its JSON answer. Bodies are limited to 64 KB. */
final class Exchange {
  static final int MAX_BODY = 64 * 1024;
  private final Request request;
  private final Response response;
  private final Callback callback;
  private final ObjectMapper json;

  Exchange(Request request, Response response, Callback callback, ObjectMapper json) {
    this.request = request;
    this.response = response;
    this.callback = callback;
    this.json = json;
  }

  String method() {
    return request.getMethod();
  }

  String path() {
    return request.getHttpURI().getPath();
  }

  String clientAddress() {
    return Request.getRemoteAddr(request);
  }

  String header(HttpHeader name) {
    return request.getHeaders().get(name);
  }

  String query(String name) {
    Fields fields = Request.extractQueryParameters(request);
    return fields.getValue(name);
  }

  /** The body as a JSON object; throws {@link BadRequest} when it is not one. */
  JsonNode body() throws BadRequest {
    byte[] bytes;
    try (InputStream in = Request.asInputStream(request)) {
      bytes = in.readNBytes(MAX_BODY + 1);
    } catch (IOException e) {
      throw new BadRequest("the request body could not be read");
    }
    if (bytes.length > MAX_BODY) {
      throw new BadRequest("the request body must be at most " + MAX_BODY + " bytes");
    }
    try {
      JsonNode node = json.readTree(bytes);
      if (node == null || !node.isObject()) {
        throw new BadRequest("the request body must be a JSON object");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new BadRequest("the request body is not valid JSON");
    } catch (IOException e) {
      throw new BadRequest("the request body could not be read");
    }
  }

  void reply(int status, Object body) {
    byte[] bytes;
    try {
      bytes = json.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      status = 500;
      bytes = "{\"error\":\"internal error\"}".getBytes(StandardCharsets.UTF_8);
    }
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
    response.write(true, java.nio.ByteBuffer.wrap(bytes), callback);
  }

  void noContent() {
    response.setStatus(204);
    response.write(true, null, callback);
  }

  void error(int status, String message) {
    reply(status, Map.of("error", message));
  }

  void text(int status, String contentType, String body) {
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
    Content.Sink.write(response, true, body, callback);
  }

  /** A client error, answered 400 with its message. */
  static final class BadRequest extends Exception {
    BadRequest(String message) {
      super(message, null, false, false);
    }
  }
}
