/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one place that knows kernel versions. Core code uses the newest API;
 * this file supplies it on older kernels.
 */
#ifndef NETFLOW_COMPAT_H
#define NETFLOW_COMPAT_H

#include <linux/version.h>
#include <linux/timer.h>
#include <linux/proc_fs.h>

/* <asm/unaligned.h> moved to <linux/unaligned.h> in 6.12: probe, not version */
#if __has_include(<linux/unaligned.h>)
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif

#if LINUX_VERSION_CODE < KERNEL_VERSION(5, 17, 0)
#define pde_data(inode) PDE_DATA(inode)
#endif

/* from_timer() was renamed timer_container_of() in 6.16 */
#ifndef timer_container_of
#define timer_container_of(var, timer, field) from_timer(var, timer, field)
#endif

/* del_timer_sync() became timer_delete_sync() in 6.2 (and left in 6.15) */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 2, 0)
#define timer_delete_sync(t) del_timer_sync(t)
#endif

/* sysctl handlers take a const table since 6.11 */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
#define NETFLOW_CTL_CONST const
#else
#define NETFLOW_CTL_CONST
#endif

/* sysctl tables lost their empty terminating entry in 6.6 */
#if LINUX_VERSION_CODE < KERNEL_VERSION(6, 6, 0)
#define NETFLOW_CTL_END { }
#else
#define NETFLOW_CTL_END
#endif

#endif /* NETFLOW_COMPAT_H */
