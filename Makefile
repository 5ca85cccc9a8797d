# The two commands: `make run` and `make test`. Both install what is missing first.
BUILD ?= build
JOBS ?= 2
BUILD_TYPE ?= RelWithDebInfo
TANDEM = $(BUILD)/src/app/tandem

.PHONY: deps configure build web run test bench fuzz clean

deps:
	@bash scripts/install-deps.sh

configure: deps
	@cmake -S . -B $(BUILD) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) $(CMAKE_ARGS) >/dev/null

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

# The web UI in web/dist (npm ci from the committed lockfile, then Vite).
web: deps
	@bash scripts/web.sh

# Serves Tandem with the embedded SQLite store, the car-share demo and the web UI on
# http://127.0.0.1:8080.
run: build web
	@mkdir -p data
	@TANDEM_DATA_DIR=$${TANDEM_DATA_DIR:-./data} $(TANDEM) demo
	@TANDEM_DATA_DIR=$${TANDEM_DATA_DIR:-./data} TANDEM_WEB_DIR=$${TANDEM_WEB_DIR:-$(CURDIR)/web/dist} exec $(TANDEM) serve

# Every test, once per store: SQLite always, PostgreSQL in a throwaway cluster.
test: build
	@bash scripts/test.sh $(BUILD)

bench: deps
	@cmake -S . -B $(BUILD)-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DTANDEM_TESTS=OFF -DTANDEM_BENCH=ON >/dev/null
	@cmake --build $(BUILD)-bench -j $(JOBS)
	@bash bench/run.sh $(BUILD)-bench

fuzz: deps
	@bash scripts/fuzz.sh

clean:
	rm -rf $(BUILD) $(BUILD)-bench $(BUILD)-fuzz
