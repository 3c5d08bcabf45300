# Top-level build: everything native lands in build/.
.PHONY: all native test-native clean
all: native

native:
	@$(MAKE) -s -C native/libipn
	@$(MAKE) -s -C native/libipn/policy

test-native: native
	@$(MAKE) -s -C native/libipn test
	@$(MAKE) -s -C native/libipn/policy test

clean:
	rm -rf build
