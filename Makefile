# Top-level build: everything native lands in build/.
.PHONY: all native test-native clean
all: native

native:
	@$(MAKE) -s -C native/libipn

test-native: native
	@$(MAKE) -s -C native/libipn test

clean:
	rm -rf build
