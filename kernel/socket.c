// SPDX-License-Identifier: GPL-2.0
/*
 * Collector sockets: kernel UDP sockets, connected so ICMP unreachable
 * comes back as an error, sent with MSG_DONTWAIT so export never blocks.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/in.h>
#include <linux/in6.h>
#include <linux/netdevice.h>
#include <net/sock.h>
#include <net/net_namespace.h>
#include "socket.h"

static int sockaddr_of(const union netflow_addr *a, u8 family, u16 port,
		       struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (family == 4) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		sin->sin_addr.s_addr = a->ip4;
		return sizeof(*sin);
	}
	{
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		memcpy(&sin6->sin6_addr, a->b, 16);
		return sizeof(*sin6);
	}
}

static int socket_connect(struct netflow_sock *ns)
{
	const struct netflow_dest_spec *d = ns->spec;
	struct sockaddr_storage ss;
	int len, err;

	len = sockaddr_of(&d->addr, d->family, d->port, &ss);
	err = kernel_connect(ns->sock, (struct sockaddr_unsized *)&ss, len, 0);
	ns->connected = !err;
	if (err) {
		ns->st.err_connect++;
		ns->st.last_err = err;
	}
	return err;
}

int netflow_socket_open(struct netflow_sock *ns,
			const struct netflow_dest_spec *spec, int sndbuf)
{
	struct sockaddr_storage ss;
	struct sock *sk;
	int err, len;

	memset(ns, 0, sizeof(*ns));
	ns->spec = spec;
	err = sock_create_kern(&init_net, spec->family == 4 ? PF_INET : PF_INET6,
			       SOCK_DGRAM, IPPROTO_UDP, &ns->sock);
	if (err)
		return err;
	sk = ns->sock->sk;
	if (sndbuf > 0) {
		lock_sock(sk);
		sk->sk_userlocks |= SOCK_SNDBUF_LOCK;
		WRITE_ONCE(sk->sk_sndbuf, max_t(int, sndbuf, SOCK_MIN_SNDBUF));
		release_sock(sk);
	}
	if (spec->ifname[0]) {
		struct net_device *dev = dev_get_by_name(&init_net,
							 spec->ifname);

		if (!dev) {
			pr_err("destination device %s does not exist\n",
			       spec->ifname);
			err = -ENODEV;
			goto err_release;
		}
		err = sock_bindtoindex(sk, dev->ifindex, true);
		dev_put(dev);
		if (err)
			goto err_release;
	}
	if (spec->has_src) {
		len = sockaddr_of(&spec->src, spec->family, 0, &ss);
		err = kernel_bind(ns->sock, (struct sockaddr_unsized *)&ss, len);
		if (err) {
			pr_err("cannot bind export socket to its source: %d\n",
			       err);
			goto err_release;
		}
	}
	/* no route yet is not fatal: connect is retried on each send */
	socket_connect(ns);
	return 0;

err_release:
	sock_release(ns->sock);
	ns->sock = NULL;
	return err;
}

int netflow_socket_send(struct netflow_sock *ns, const void *data,
			unsigned int len)
{
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL };
	struct kvec vec = { .iov_base = (void *)data, .iov_len = len };
	u32 wmem;
	int err;

	if (!ns->connected && socket_connect(ns))
		return ns->st.last_err;
	err = kernel_sendmsg(ns->sock, &msg, &vec, 1, len);
	wmem = sk_wmem_alloc_get(ns->sock->sk);
	if (wmem > ns->st.wmem_peak)
		ns->st.wmem_peak = wmem;
	if (err == len) {
		ns->st.pdus++;
		ns->st.bytes += len;
		return 0;
	}
	if (err >= 0)
		err = -EIO;
	switch (err) {
	case -EAGAIN:
	case -ENOBUFS:
	case -ENOMEM:
		ns->st.err_full++;
		break;
	case -ECONNREFUSED:
	case -EHOSTUNREACH:
	case -ENETUNREACH:
	case -EHOSTDOWN:
		ns->st.err_cberr++;
		break;
	default:
		ns->st.err_other++;
	}
	ns->st.last_err = err;
	return err;
}

int netflow_socket_take_error(struct netflow_sock *ns)
{
	int err;

	if (!ns->sock || !READ_ONCE(ns->sock->sk->sk_err))
		return 0;
	err = sock_error(ns->sock->sk);
	if (!err)
		return 0;
	ns->st.err_cberr++;
	ns->st.last_err = err;
	return err;
}

void netflow_socket_close(struct netflow_sock *ns)
{
	if (ns->sock)
		sock_release(ns->sock);
	ns->sock = NULL;
}

u32 netflow_socket_wmem(const struct netflow_sock *ns)
{
	return ns->sock ? sk_wmem_alloc_get(ns->sock->sk) : 0;
}

int netflow_socket_sndbuf(const struct netflow_sock *ns)
{
	return ns->sock ? READ_ONCE(ns->sock->sk->sk_sndbuf) : 0;
}
