/// Python helpers the harness writes to temporary files and runs (kept in Swift so SwiftPM needs no resources).
public enum MotoScripts {
  /// Runs moto_server and stops it when the test process closes our stdin or terminates us.
  public static let motoWrapper = #"""
    import os, signal, subprocess, sys, threading
    moto, port = sys.argv[1], sys.argv[2]
    child = subprocess.Popen([moto, "-H", "127.0.0.1", "-p", port])
    def stop(*_):
        # moto keeps nothing worth flushing: stop it at once.
        child.kill()
        child.wait()
        os._exit(0)
    signal.signal(signal.SIGTERM, stop)
    def watch():
        sys.stdin.read()
        stop()
    threading.Thread(target=watch, daemon=True).start()
    child.wait()
    """#
}
