package io.trendline.process;

import java.util.concurrent.CountDownLatch;

/** A child for {@link JavaProcessIT}: prints its arguments, then waits to be stopped. */
public final class Waiter {
  private Waiter() {}

  public static void main(String[] args) throws InterruptedException {
    System.out.println("WAITER READY " + String.join(" ", args));
    System.err.println("env " + System.getenv("WAITER_ENV"));
    System.out.flush();
    if (args.length > 0 && args[0].equals("exit")) {
      System.exit(Integer.parseInt(args[1]));
    }
    new CountDownLatch(1).await();
  }
}
