# Included by native/libipn/Makefile: the policy pieces that belong in
# libipn.so itself (nftables rewrites, interface probing, bind policy
# checks, endpoints). The preload library, the policy tests and their tools
# are built by policy/Makefile.
POLICY_SRCS := policy/nft.c policy/ifprobe.c policy/bind_policy.c policy/bind_check.c \
	policy/json.c policy/endpoint.c policy/endpoint_table.c
LIB_SRCS += $(POLICY_SRCS)
CPPFLAGS += $(shell pkg-config --cflags libnftables)
LIB_LDLIBS += $(shell pkg-config --libs libnftables)
