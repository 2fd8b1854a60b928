import CNGHTTP2
import Glibc

/// The nghttp2 session callbacks: C function pointers that find their connection through `user_data`.
enum HTTP2Callbacks {
  static func connection(_ user: UnsafeMutableRawPointer?) -> HTTP2Connection {
    Unmanaged<HTTP2Connection>.fromOpaque(user!).takeUnretainedValue()
  }

  static func isFrame(_ frame: UnsafePointer<nghttp2_frame>, _ type: nghttp2_frame_type) -> Bool {
    frame.pointee.hd.type == UInt8(truncatingIfNeeded: type.rawValue)
  }

  /// A callback table for a server session.
  static func make() -> OpaquePointer {
    var table: OpaquePointer?
    nghttp2_session_callbacks_new(&table)
    let callbacks = table!
    nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks) { _, frame, user in
      guard let frame, HTTP2Callbacks.isFrame(frame, NGHTTP2_HEADERS),
        frame.pointee.headers.cat == NGHTTP2_HCAT_REQUEST
      else { return 0 }
      HTTP2Callbacks.connection(user).beginStream(frame.pointee.hd.stream_id)
      return 0
    }
    nghttp2_session_callbacks_set_on_header_callback(callbacks) {
      _, frame, name, nameLength, value, valueLength, _, user in
      guard let frame, HTTP2Callbacks.isFrame(frame, NGHTTP2_HEADERS), let name, let value else { return 0 }
      let accepted = HTTP2Callbacks.connection(user).header(
        frame.pointee.hd.stream_id, UnsafeBufferPointer(start: name, count: nameLength),
        UnsafeBufferPointer(start: value, count: valueLength))
      return accepted ? 0 : NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE.rawValue
    }
    nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks) {
      _, _, streamID, data, length, user in
      guard let data else { return 0 }
      HTTP2Callbacks.connection(user).bodyChunk(streamID, UnsafeBufferPointer(start: data, count: length))
      return 0
    }
    nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks) { _, frame, user in
      guard let frame,
        HTTP2Callbacks.isFrame(frame, NGHTTP2_HEADERS) || HTTP2Callbacks.isFrame(frame, NGHTTP2_DATA)
      else { return 0 }
      if frame.pointee.hd.flags & UInt8(NGHTTP2_FLAG_END_STREAM.rawValue) != 0 {
        HTTP2Callbacks.connection(user).requestComplete(frame.pointee.hd.stream_id)
      }
      return 0
    }
    nghttp2_session_callbacks_set_on_stream_close_callback(callbacks) { _, streamID, _, user in
      HTTP2Callbacks.connection(user).streamClosed(streamID)
      return 0
    }
    return callbacks
  }

  /// Hands nghttp2 the next piece of a response body, or defers until the producer writes more.
  static let readBody: nghttp2_data_source_read_callback = { _, streamID, buffer, length, flags, _, user in
    guard let buffer, let flags else { return Int(NGHTTP2_ERR_CALLBACK_FAILURE.rawValue) }
    return HTTP2Callbacks.connection(user).readBody(streamID, buffer, length, flags)
  }
}
