package io.trendline.streamserver;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URL;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A plain-socket client of the streaming endpoint that checks the framing as it reads: HTTP/1.1
 * chunked coding, then (when delimited) a length line that must equal the message's UTF-8 bytes
 * including its CRLF. Not thread-safe.
 */
final class TestClient implements Closeable {
  static final String OAUTH =
      "OAuth oauth_consumer_key=\"key%2Done\", oauth_nonce=\"n\", oauth_signature=\"s%3D\","
          + " oauth_signature_method=\"HMAC-SHA1\", oauth_timestamp=\"1\", oauth_token=\"t\","
          + " oauth_version=\"1.0\"";

  final int status;
  final Map<String, String> headers = new LinkedHashMap<>();
  private final Socket socket;
  private final InputStream in;
  private final boolean delimited;
  private final Dechunker body;
  int keepAlives;

  private TestClient(Socket socket, boolean delimited) throws IOException {
    this.socket = socket;
    this.delimited = delimited;
    socket.setSoTimeout(10_000);
    this.in = new BufferedInputStream(socket.getInputStream());
    String statusLine = line(in);
    this.status = Integer.parseInt(statusLine.split(" ")[1]);
    for (String h = line(in); !h.isEmpty(); h = line(in)) {
      int colon = h.indexOf(':');
      headers.put(
          h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
    }
    this.body = "chunked".equals(headers.get("transfer-encoding")) ? new Dechunker(in) : null;
  }

  /** Opens a filter stream with a valid OAuth header. */
  static TestClient stream(StreamServer server, String track, boolean delimited)
      throws IOException {
    String query = delimited ? "?stall_warnings=true&delimited=length" : "";
    String form = track == null ? "" : "track=" + URLEncoder.encode(track, "UTF-8");
    return request(server, "POST", "/1.1/statuses/filter.json" + query, OAUTH, form, delimited);
  }

  static TestClient request(
      StreamServer server,
      String method,
      String target,
      String auth,
      String form,
      boolean delimited)
      throws IOException {
    URL url = new URL(server.url());
    Socket s = new Socket(url.getHost(), url.getPort());
    StringBuilder req = new StringBuilder();
    req.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
    req.append("Host: ").append(url.getHost()).append(':').append(url.getPort()).append("\r\n");
    if (auth != null) {
      req.append("Authorization: ").append(auth).append("\r\n");
    }
    byte[] body = form.getBytes(StandardCharsets.UTF_8);
    if (body.length > 0) {
      req.append("Content-Type: application/x-www-form-urlencoded\r\n");
    }
    req.append("Content-Length: ").append(body.length).append("\r\n\r\n");
    OutputStream out = s.getOutputStream();
    out.write(req.toString().getBytes(StandardCharsets.ISO_8859_1));
    out.write(body);
    out.flush();
    return new TestClient(s, delimited);
  }

  /** The whole body of a plain (Content-Length) answer. */
  String bodyText() throws IOException {
    int length = Integer.parseInt(headers.get("content-length"));
    byte[] b = new byte[length];
    int off = 0;
    while (off < length) {
      int n = in.read(b, off, length - off);
      if (n < 0) {
        throw new EOFException();
      }
      off += n;
    }
    return new String(b, StandardCharsets.UTF_8);
  }

  /**
   * The next message without its CRLF, skipping (and counting) keep-alives; null at a clean end of
   * the chunked body.
   *
   * @throws IOException when the stream breaks off (reset, cut mid-message, bad framing)
   */
  String next() throws IOException {
    while (true) {
      byte[] first = lineBytes(body);
      if (first == null) {
        return null;
      }
      if (first.length == 0) {
        keepAlives++;
        continue;
      }
      if (!delimited) {
        return new String(first, StandardCharsets.UTF_8);
      }
      int length = Integer.parseInt(new String(first, StandardCharsets.US_ASCII));
      byte[] msg = new byte[length];
      for (int i = 0; i < length; i++) {
        int b = body.read();
        if (b < 0) {
          throw new EOFException("stream ended inside a message");
        }
        msg[i] = (byte) b;
      }
      if (length < 2 || msg[length - 2] != '\r' || msg[length - 1] != '\n') {
        throw new IOException("length " + length + " does not end at the message's CRLF");
      }
      return new String(msg, 0, length - 2, StandardCharsets.UTF_8);
    }
  }

  /** A CRLF-terminated line of the body, without its CRLF; null at a clean end before a line. */
  private static byte[] lineBytes(InputStream s) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int prev = -1;
    while (true) {
      int c = s.read();
      if (c < 0) {
        if (b.size() == 0) {
          return null;
        }
        throw new EOFException("stream ended inside a line");
      }
      if (c == '\n' && prev == '\r') {
        byte[] all = b.toByteArray();
        return java.util.Arrays.copyOf(all, all.length - 1);
      }
      b.write(c);
      prev = c;
    }
  }

  private static String line(InputStream s) throws IOException {
    byte[] b = lineBytes(s);
    if (b == null) {
      throw new EOFException("connection closed before the response head");
    }
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  /** Aborts the connection without a goodbye. */
  void kill() throws IOException {
    socket.setSoLinger(true, 0);
    socket.close();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  /** Decodes chunked transfer coding; -1 after the last chunk. */
  private static final class Dechunker extends InputStream {
    private final InputStream in;
    private int left;
    private boolean done;

    Dechunker(InputStream in) {
      this.in = in;
    }

    @Override
    public int read() throws IOException {
      if (done) {
        return -1;
      }
      if (left == 0) {
        String size = line(in);
        left = Integer.parseInt(size.trim(), 16);
        if (left == 0) {
          line(in);
          done = true;
          return -1;
        }
      }
      int b = in.read();
      if (b < 0) {
        throw new EOFException("connection closed inside a chunk");
      }
      if (--left == 0 && !line(in).isEmpty()) {
        throw new IOException("chunk not followed by CRLF");
      }
      return b;
    }
  }
}
