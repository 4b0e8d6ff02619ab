/* SPDX-License-Identifier: GPL-2.0 */
/* UDP sockets to the collectors, and what their sends went through. */
#ifndef NETFLOW_SOCKET_H
#define NETFLOW_SOCKET_H

#include <linux/net.h>
#include "destparse.h"

struct netflow_sock_stats {
	u64 pdus;		/* datagrams sent */
	u64 bytes;		/* their bytes */
	u64 err_connect;	/* connect or bind failed */
	u64 err_full;		/* socket buffer full (EAGAIN, ENOBUFS) */
	u64 err_cberr;		/* unreachable reported back by ICMP */
	u64 err_other;
	u32 wmem_peak;		/* most bytes queued in the socket */
	int last_err;
};

struct netflow_sock {
	struct socket *sock;
	const struct netflow_dest_spec *spec;
	bool connected;
	struct netflow_sock_stats st;
};

int netflow_socket_open(struct netflow_sock *ns,
			const struct netflow_dest_spec *spec, int sndbuf);
/* Send one datagram, never blocking; 0 or a negative errno, counted. */
int netflow_socket_send(struct netflow_sock *ns, const void *data,
			unsigned int len);
/* An error reported since the last send (ICMP unreachable), counted. */
int netflow_socket_take_error(struct netflow_sock *ns);
void netflow_socket_close(struct netflow_sock *ns);
u32 netflow_socket_wmem(const struct netflow_sock *ns);
int netflow_socket_sndbuf(const struct netflow_sock *ns);

#endif /* NETFLOW_SOCKET_H */
