package io.trendline.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Starts the real broker in its child JVM and speaks the Kafka protocol to it (an ApiVersions
 * request, written by hand, since this module's tests have no client library on purpose: the
 * launcher must work from a classpath without Kafka).
 */
class KafkaBrokerProcessIT {
  @TempDir Path dir;

  @Test
  void startsServesSurvivesARestartAndStops() throws Exception {
    KafkaBrokerProcess broker = KafkaBrokerProcess.builder(dir).topic("tweets", 3).start();
    try {
      int port = broker.port();
      assertTrue(port > 0);
      assertEquals("127.0.0.1:" + port, broker.bootstrapServers());
      assertTrue(answersApiVersions(port), "broker answers ApiVersions");

      broker.kill();
      assertFalse(broker.isRunning());
      assertFalse(answersApiVersions(port), "a killed broker no longer answers");

      broker.restart();
      assertEquals(port, broker.port(), "restarted on the same port");
      assertTrue(answersApiVersions(port), "restarted broker answers");
    } finally {
      broker.close();
    }
    assertFalse(broker.isRunning());
  }

  /** Sends ApiVersions v0 and checks for a well-formed response with error code 0. */
  private static boolean answersApiVersions(int port) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      byte[] clientId = "test".getBytes("UTF-8");
      int size = 2 + 2 + 4 + 2 + clientId.length;
      out.writeInt(size);
      out.writeShort(18); // ApiVersions
      out.writeShort(0); // version 0
      out.writeInt(42); // correlation id
      out.writeShort(clientId.length);
      out.write(clientId);
      out.flush();
      DataInputStream in = new DataInputStream(s.getInputStream());
      int length = in.readInt();
      int correlationId = in.readInt();
      short errorCode = in.readShort();
      return length > 6 && correlationId == 42 && errorCode == 0;
    } catch (ConnectException e) {
      return false;
    }
  }
}
