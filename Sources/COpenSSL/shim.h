// OpenSSL for Swift: the headers, plus static inline wrappers for the function-like macros Swift does not import.
#ifndef SWITCHBOARD_COPENSSL_SHIM_H
#define SWITCHBOARD_COPENSSL_SHIM_H

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <string.h>

static inline int cossl_ctx_set_min_proto_version(SSL_CTX *ctx, int version) {
  return (int)SSL_CTX_set_min_proto_version(ctx, version);
}

static inline int cossl_ctx_set_max_proto_version(SSL_CTX *ctx, int version) {
  return (int)SSL_CTX_set_max_proto_version(ctx, version);
}

static inline long cossl_ctx_set_mode(SSL_CTX *ctx, long mode) { return SSL_CTX_set_mode(ctx, mode); }

static inline long cossl_ctx_disable_session_cache(SSL_CTX *ctx) {
  return SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
}

static inline int cossl_tls1_2_version(void) { return TLS1_2_VERSION; }
static inline int cossl_tls1_3_version(void) { return TLS1_3_VERSION; }

static inline uint64_t cossl_server_options(void) {
  return SSL_OP_CIPHER_SERVER_PREFERENCE | SSL_OP_NO_RENEGOTIATION | SSL_OP_IGNORE_UNEXPECTED_EOF
    | SSL_OP_NO_COMPRESSION;
}

static inline long cossl_server_modes(void) {
  return SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS;
}

/// The reason code of an OpenSSL error (was a macro in older releases).
static inline int cossl_error_reason(unsigned long error) { return ERR_GET_REASON(error); }

static inline int cossl_reason_http_request(void) { return SSL_R_HTTP_REQUEST; }

/// ALPN protocol lists in wire format, server preference first.
static const unsigned char cossl_alpn_h2_http11[] = {2, 'h', '2', 8, 'h', 't', 't', 'p', '/', '1', '.', '1'};
static const unsigned char cossl_alpn_http11[] = {8, 'h', 't', 't', 'p', '/', '1', '.', '1'};

/// Picks the server's first protocol the client offers; `arg` non-null means h2 is offered.
static int cossl_alpn_select(SSL *ssl, const unsigned char **out, unsigned char *outlen, const unsigned char *in,
                             unsigned int inlen, void *arg) {
  (void)ssl;
  const unsigned char *server = arg ? cossl_alpn_h2_http11 : cossl_alpn_http11;
  unsigned int serverlen = arg ? sizeof(cossl_alpn_h2_http11) : sizeof(cossl_alpn_http11);
  unsigned char *selected = NULL;
  if (SSL_select_next_proto(&selected, outlen, server, serverlen, in, inlen) != OPENSSL_NPN_NEGOTIATED) {
    return SSL_TLSEXT_ERR_NOACK;
  }
  *out = selected;
  return SSL_TLSEXT_ERR_OK;
}

/// Installs the ALPN selection: `h2` then `http/1.1` when offer_h2 is non-zero, else `http/1.1` only.
static inline void cossl_ctx_set_alpn(SSL_CTX *ctx, int offer_h2) {
  SSL_CTX_set_alpn_select_cb(ctx, cossl_alpn_select, offer_h2 ? (void *)1 : NULL);
}

/// Whether ALPN selected `h2` on an established connection.
static inline int cossl_selected_h2(const SSL *ssl) {
  const unsigned char *data = NULL;
  unsigned int len = 0;
  SSL_get0_alpn_selected(ssl, &data, &len);
  return len == 2 && data[0] == 'h' && data[1] == '2';
}

/// Sets the SNI host name of a client connection (a macro in OpenSSL).
static inline long cossl_set_tlsext_host_name(SSL *ssl, const char *name) {
  return SSL_set_tlsext_host_name(ssl, name);
}

#endif
