package io.trendline.streamserver;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UnsupportedEncodingException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The little of HTTP/1.1 a streaming endpoint needs to read: the request line, the headers and a
 * body of {@code Content-Length} bytes. Immutable once read.
 */
final class HttpRequest {
  static final int MAX_HEAD_BYTES = 64 * 1024;
  static final int MAX_BODY_BYTES = 1024 * 1024;

  /** The request cannot be served; answer {@link #status} with {@link #getMessage()}. */
  static final class BadRequest extends IOException {
    private static final long serialVersionUID = 1L;
    final int status;

    BadRequest(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  final String method;
  final String path;
  final Map<String, String> query;
  final Map<String, String> headers;
  final byte[] body;

  private HttpRequest(
      String method,
      String path,
      Map<String, String> query,
      Map<String, String> headers,
      byte[] body) {
    this.method = method;
    this.path = path;
    this.query = query;
    this.headers = headers;
    this.body = body;
  }

  /** A header by its lower-case name, or null. */
  String header(String lowerCaseName) {
    return headers.get(lowerCaseName);
  }

  /** The form fields of a {@code application/x-www-form-urlencoded} body (else empty). */
  Map<String, String> form() throws BadRequest {
    String type = header("content-type");
    if (body.length == 0
        || (type != null
            && !type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded"))) {
      return new LinkedHashMap<>();
    }
    return decodeForm(new String(body, StandardCharsets.ISO_8859_1));
  }

  /**
   * Reads one request; {@code out} gets the interim {@code 100 Continue} if the client waits for
   * it.
   *
   * @return null when the connection closed before a request began
   * @throws BadRequest for what is not a well-formed request (400, 411, 413, 431)
   */
  static HttpRequest read(InputStream in, java.io.OutputStream out) throws IOException {
    String requestLine = readLine(in, true);
    if (requestLine == null) {
      return null;
    }
    String[] parts = requestLine.split(" ");
    if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
      throw new BadRequest(400, "malformed request line");
    }
    Map<String, String> headers = new LinkedHashMap<>();
    int headBytes = requestLine.length();
    while (true) {
      String line = readLine(in, false);
      if (line == null) {
        throw new BadRequest(400, "connection closed inside the request head");
      }
      if (line.isEmpty()) {
        break;
      }
      headBytes += line.length() + 2;
      if (headBytes > MAX_HEAD_BYTES) {
        throw new BadRequest(431, "request head larger than " + MAX_HEAD_BYTES + " bytes");
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new BadRequest(400, "malformed header line");
      }
      String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).trim();
      headers.merge(name, value, (a, b) -> a + ", " + b);
    }
    String target = parts[1];
    int q = target.indexOf('?');
    String path = q < 0 ? target : target.substring(0, q);
    Map<String, String> query =
        q < 0 ? new LinkedHashMap<String, String>() : decodeForm(target.substring(q + 1));

    byte[] body = new byte[0];
    String te = headers.get("transfer-encoding");
    if (te != null && !te.equalsIgnoreCase("identity")) {
      throw new BadRequest(411, "send the form with a Content-Length, not " + te);
    }
    String cl = headers.get("content-length");
    if (cl != null) {
      long length;
      try {
        length = Long.parseLong(cl.trim());
      } catch (NumberFormatException e) {
        throw new BadRequest(400, "bad Content-Length " + cl);
      }
      if (length < 0 || length > MAX_BODY_BYTES) {
        throw new BadRequest(413, "body larger than " + MAX_BODY_BYTES + " bytes");
      }
      String expect = headers.get("expect");
      if (expect != null && expect.equalsIgnoreCase("100-continue")) {
        out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
      }
      body = readFully(in, (int) length);
    }
    return new HttpRequest(parts[0], path, query, headers, body);
  }

  private static byte[] readFully(InputStream in, int length) throws IOException {
    byte[] b = new byte[length];
    int off = 0;
    while (off < length) {
      int n = in.read(b, off, length - off);
      if (n < 0) {
        throw new BadRequest(400, "connection closed inside the body");
      }
      off += n;
    }
    return b;
  }

  /** A CRLF- (or LF-) terminated line in ISO-8859-1; null at a clean end of stream. */
  private static String readLine(InputStream in, boolean first) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream(128);
    while (true) {
      int b = in.read();
      if (b < 0) {
        if (first && line.size() == 0) {
          return null;
        }
        return line.size() == 0 ? null : line.toString("ISO-8859-1");
      }
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        int len =
            bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
      }
      line.write(b);
      if (line.size() > MAX_HEAD_BYTES) {
        throw new BadRequest(431, "request line or header longer than " + MAX_HEAD_BYTES);
      }
    }
  }

  /**
   * Decodes {@code a=1&b=x%2Cy} (UTF-8 percent-encoding, + as space); a repeated name: last wins.
   */
  static Map<String, String> decodeForm(String s) throws BadRequest {
    Map<String, String> out = new LinkedHashMap<>();
    for (String pair : s.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      out.put(decode(name), decode(value));
    }
    return out;
  }

  private static String decode(String s) throws BadRequest {
    try {
      return URLDecoder.decode(s, "UTF-8");
    } catch (IllegalArgumentException e) {
      throw new BadRequest(400, "bad percent-encoding in '" + s + "'");
    } catch (UnsupportedEncodingException e) {
      throw new AssertionError(e);
    }
  }
}
