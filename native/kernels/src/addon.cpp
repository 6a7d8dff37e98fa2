// N-API surface of the kernels addon. Reached only through engine/vector/kernels/nativeLoader.ts,
// whose facade has already validated every argument; this file checks them again and turns every
// C++ failure into a JavaScript exception or a rejected promise, so nothing can abort Node.
#include <napi.h>

#include <cmath>
#include <exception>
#include <new>
#include <string>
#include <utility>
#include <vector>

#include "dispatch.h"
#include "roofline.h"
#include "scan.h"

namespace {

using vex::Metric;

// Argument problems carry a code the facade would have used had it seen them first.
struct ArgumentError {
  std::string code;
  std::string message;
};

[[noreturn]] void fail(const std::string& message, const char* code = "E_INVALID") {
  throw ArgumentError{code, message};
}

void throwJs(Napi::Env env, const std::string& code, const std::string& message) {
  Napi::Error error = Napi::Error::New(env, message);
  error.Set("code", Napi::String::New(env, code));
  error.ThrowAsJavaScriptException();
}

// Runs a binding body; every C++ failure becomes one JavaScript exception.
template <typename Body>
Napi::Value guarded(const Napi::CallbackInfo& info, Body body) {
  Napi::Env env = info.Env();
  try {
    return body();
  } catch (const ArgumentError& e) {
    throwJs(env, e.code, e.message);
  } catch (const Napi::Error& e) {
    e.ThrowAsJavaScriptException();
  } catch (const std::bad_alloc&) {
    throwJs(env, "E_INTERNAL", "vexfs kernels: out of memory");
  } catch (const std::exception& e) {
    throwJs(env, "E_INTERNAL", std::string("vexfs kernels: ") + e.what());
  } catch (...) {
    throwJs(env, "E_INTERNAL", "vexfs kernels: unknown native failure");
  }
  return env.Undefined();
}

size_t integerArg(const Napi::CallbackInfo& info, size_t i, const char* name, size_t min) {
  if (i >= info.Length() || !info[i].IsNumber()) fail(std::string(name) + " must be a number");
  double value = info[i].As<Napi::Number>().DoubleValue();
  if (!std::isfinite(value) || value != std::floor(value) || value < static_cast<double>(min) || value > 9007199254740991.0) {
    fail(std::string(name) + " must be an integer >= " + std::to_string(min));
  }
  return static_cast<size_t>(value);
}

struct View {
  void* data = nullptr;
  size_t length = 0;
};

View typedArg(const Napi::CallbackInfo& info, size_t i, napi_typedarray_type expected, const char* name) {
  if (i >= info.Length() || !info[i].IsTypedArray()) fail(std::string(name) + " must be a typed array");
  napi_typedarray_type type;
  View view;
  napi_value arrayBuffer;
  size_t byteOffset;
  if (napi_get_typedarray_info(info.Env(), info[i], &type, &view.length, &view.data, &arrayBuffer, &byteOffset) != napi_ok) {
    fail(std::string("cannot read ") + name);
  }
  if (type != expected) {
    fail(std::string(name) + (expected == napi_uint8_array ? " must be a Uint8Array"
                              : expected == napi_uint32_array ? " must be a Uint32Array"
                                                              : " must be a Float32Array"));
  }
  return view;
}

size_t multiply(size_t a, size_t b, const char* what) {
  size_t product;
  if (__builtin_mul_overflow(a, b, &product)) fail(std::string(what) + " is too large");
  return product;
}

Metric metricArg(const Napi::CallbackInfo& info, size_t i) {
  size_t metric = integerArg(info, i, "metric", 0);
  if (metric > vex::kHamming) fail("metric must be 0 (l2), 1 (dot), 2 (cosine), 3 (manhattan) or 4 (hamming)");
  return static_cast<Metric>(metric);
}

napi_typedarray_type inputType(Metric metric) { return metric == vex::kHamming ? napi_uint8_array : napi_float32_array; }

// Stored vectors: Float32Array (f32), Uint16Array of IEEE half bits (f16), Int8Array (i8, times scale).
// Hamming takes Uint8Array on both sides.
bool storageOf(Metric metric, napi_typedarray_type type, vex::Storage* storage) {
  if (metric == vex::kHamming) {
    *storage = vex::kF32;
    return type == napi_uint8_array;
  }
  if (type == napi_float32_array) *storage = vex::kF32;
  else if (type == napi_uint16_array) *storage = vex::kF16;
  else if (type == napi_int8_array) *storage = vex::kI8;
  else return false;
  return vex::storageSupported(metric, *storage);
}

View storedArg(const Napi::CallbackInfo& info, size_t i, Metric metric, vex::Storage* storage, const char* name) {
  if (i >= info.Length() || !info[i].IsTypedArray()) fail(std::string(name) + " must be a typed array");
  napi_typedarray_type type;
  View view;
  napi_value arrayBuffer;
  size_t byteOffset;
  if (napi_get_typedarray_info(info.Env(), info[i], &type, &view.length, &view.data, &arrayBuffer, &byteOffset) != napi_ok) {
    fail(std::string("cannot read ") + name);
  }
  if (!storageOf(metric, type, storage)) {
    fail(std::string(name) + (metric == vex::kHamming
                                  ? " must be a Uint8Array"
                                  : " must be a Float32Array, or a Uint16Array (f16) / Int8Array (i8) for l2, dot and cosine"));
  }
  return view;
}

float scaleArg(const Napi::CallbackInfo& info, size_t i) {
  if (i >= info.Length() || !info[i].IsNumber()) fail("scale must be a number");
  double value = info[i].As<Napi::Number>().DoubleValue();
  if (!std::isfinite(value) || value <= 0 || !std::isfinite(static_cast<float>(value))) {
    fail("scale must be a finite number > 0");
  }
  return static_cast<float>(value);
}

// Shared head of every scan call: (metric, queries, queryCount, base, baseOffset, count, dim, ...).
// `keep` receives the arrays an asynchronous scan must hold on to until it settles.
vex::ScanJob scanHead(const Napi::CallbackInfo& info, std::vector<Napi::ObjectReference>* keep) {
  vex::ScanJob job;
  job.table = vex::activeTable();
  job.metric = metricArg(info, 0);
  View queries = typedArg(info, 1, inputType(job.metric), "queries");
  job.queryCount = integerArg(info, 2, "queryCount", 0);
  View base = storedArg(info, 3, job.metric, &job.storage, "base");
  size_t baseOffset = integerArg(info, 4, "baseOffset", 0);
  job.count = integerArg(info, 5, "count", 0);
  job.dim = integerArg(info, 6, "dim", 1);
  job.scale = scaleArg(info, 7);
  if (job.count > 0xffffffffu) fail("count must be below 2^32 (indices are 32-bit)");
  if (job.metric == vex::kHamming && job.dim > (1u << 21)) fail("hamming vectors are limited to 2^21 bytes");
  if (queries.length != multiply(job.queryCount, job.dim, "queryCount * dim")) {
    fail("queries holds " + std::to_string(queries.length) + " elements, not queryCount * dim", "E_DIM_MISMATCH");
  }
  size_t needed = multiply(job.count, job.dim, "count * dim");
  if (baseOffset > base.length || base.length - baseOffset < needed) {
    fail("base is shorter than baseOffset + count * dim", "E_DIM_MISMATCH");
  }
  size_t elementBytes = vex::storageBytes(job.metric, job.storage);
  job.queries = queries.data;
  job.base = static_cast<const uint8_t*>(base.data) + baseOffset * elementBytes;
  if (keep) {
    keep->push_back(Napi::Persistent(info[1].As<Napi::Object>()));
    keep->push_back(Napi::Persistent(info[3].As<Napi::Object>()));
  }
  return job;
}

void distancesTail(const Napi::CallbackInfo& info, vex::ScanJob* job, std::vector<Napi::ObjectReference>* keep) {
  View out = typedArg(info, 8, napi_float32_array, "out");
  if (out.length < multiply(job->queryCount, job->count, "queryCount * count")) fail("out is shorter than queryCount * count");
  job->distances = static_cast<float*>(out.data);
  if (keep) keep->push_back(Napi::Persistent(info[8].As<Napi::Object>()));
}

void topKTail(const Napi::CallbackInfo& info, vex::ScanJob* job, std::vector<Napi::ObjectReference>* keep) {
  job->k = integerArg(info, 8, "k", 1);
  if (info.Length() > 9 && !info[9].IsNull() && !info[9].IsUndefined()) {
    View allow = typedArg(info, 9, napi_uint8_array, "allow");
    if (allow.length < (job->count + 7) / 8) fail("allow bitmap needs ceil(count / 8) bytes", "E_DIM_MISMATCH");
    job->allow = static_cast<const uint8_t*>(allow.data);
    if (keep) keep->push_back(Napi::Persistent(info[9].As<Napi::Object>()));
  }
  View indices = typedArg(info, 10, napi_uint32_array, "outIndices");
  View distances = typedArg(info, 11, napi_float32_array, "outDistances");
  size_t slots = multiply(job->queryCount, job->k, "queryCount * k");
  if (indices.length < slots || distances.length < slots) fail("outIndices and outDistances need queryCount * k slots");
  job->topIndices = static_cast<uint32_t*>(indices.data);
  job->topDistances = static_cast<float*>(distances.data);
  if (keep) {
    keep->push_back(Napi::Persistent(info[10].As<Napi::Object>()));
    keep->push_back(Napi::Persistent(info[11].As<Napi::Object>()));
  }
}

unsigned threadsArg(const Napi::CallbackInfo& info, size_t i) {
  size_t threads = integerArg(info, i, "threads", 1);
  if (threads > 256) fail("threads must be at most 256");
  return static_cast<unsigned>(threads);
}

// Runs a scan on libuv's pool; the scan itself fans out over `threads` native threads.
// The typed arrays stay referenced until the promise settles.
class ScanWorker : public Napi::AsyncWorker {
 public:
  ScanWorker(Napi::Env env, vex::ScanJob job, unsigned threads, std::vector<Napi::ObjectReference> keep)
      : Napi::AsyncWorker(env, "vexfs.kernels.scan"),
        deferred_(Napi::Promise::Deferred::New(env)),
        job_(job),
        threads_(threads),
        keep_(std::move(keep)) {}
  Napi::Promise Promise() { return deferred_.Promise(); }

 protected:
  void Execute() override {
    try {
      results_ = vex::runScan(job_, threads_);
    } catch (const std::bad_alloc&) {
      SetError("vexfs kernels: out of memory during scan");
    } catch (const std::exception& e) {
      SetError(std::string("vexfs kernels: ") + e.what());
    } catch (...) {
      SetError("vexfs kernels: unknown native failure during scan");
    }
  }
  void OnOK() override { deferred_.Resolve(Napi::Number::New(Env(), static_cast<double>(results_))); }
  void OnError(const Napi::Error& error) override {
    error.Set("code", Napi::String::New(Env(), "E_INTERNAL"));
    deferred_.Reject(error.Value());
  }

 private:
  Napi::Promise::Deferred deferred_;
  vex::ScanJob job_;
  unsigned threads_;
  size_t results_ = 0;
  std::vector<Napi::ObjectReference> keep_;
};

class RooflineWorker : public Napi::AsyncWorker {
 public:
  RooflineWorker(Napi::Env env, const vex::KernelTable* table, size_t ramBytes)
      : Napi::AsyncWorker(env, "vexfs.kernels.roofline"),
        deferred_(Napi::Promise::Deferred::New(env)),
        table_(table),
        ramBytes_(ramBytes) {}
  Napi::Promise Promise() { return deferred_.Promise(); }

 protected:
  void Execute() override {
    try {
      result_ = vex::measureRoofline(table_, ramBytes_);
    } catch (const std::bad_alloc&) {
      SetError("vexfs kernels: no memory for the roofline buffers");
    } catch (...) {
      SetError("vexfs kernels: roofline probe failed");
    }
  }
  void OnOK() override {
    Napi::Env env = Env();
    Napi::Object o = Napi::Object::New(env);
    o.Set("backend", table_->name);
    o.Set("fmaGflops", result_.fmaGflops);
    o.Set("l1LoadGbps", result_.l1LoadGbps);
    o.Set("l2LoadGbps", result_.l2LoadGbps);
    o.Set("ramReadGbps", result_.ramReadGbps);
    o.Set("l1Bytes", static_cast<double>(result_.l1Bytes));
    o.Set("l2Bytes", static_cast<double>(result_.l2Bytes));
    o.Set("ramBytes", static_cast<double>(result_.ramBytes));
    o.Set("l1CacheBytes", static_cast<double>(result_.l1CacheBytes));
    o.Set("l2CacheBytes", static_cast<double>(result_.l2CacheBytes));
    o.Set("llcBytes", static_cast<double>(result_.llcBytes));
    deferred_.Resolve(o);
  }
  void OnError(const Napi::Error& error) override {
    error.Set("code", Napi::String::New(Env(), "E_INTERNAL"));
    deferred_.Reject(error.Value());
  }

 private:
  Napi::Promise::Deferred deferred_;
  const vex::KernelTable* table_;
  size_t ramBytes_;
  vex::Roofline result_;
};

Napi::Value Capabilities(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    Napi::Env env = info.Env();
    const vex::CpuFeatures& f = vex::cpuFeatures();
    Napi::Object cpu = Napi::Object::New(env);
    cpu.Set("avx2", f.avx2);
    cpu.Set("fma", f.fma);
    cpu.Set("popcnt", f.popcnt);
    cpu.Set("avx512f", f.avx512f);
    cpu.Set("avx512bw", f.avx512bw);
    cpu.Set("avx512vpopcntdq", f.avx512vpopcntdq);
    cpu.Set("neon", f.neon);
    std::vector<std::string> names = vex::availableBackends();
    Napi::Array available = Napi::Array::New(env, names.size());
    for (size_t i = 0; i < names.size(); i++) available.Set(static_cast<uint32_t>(i), names[i]);
    Napi::Object result = Napi::Object::New(env);
    result.Set("arch", f.arch);
    result.Set("cpu", cpu);
    result.Set("available", available);
    result.Set("active", vex::activeTable()->name);
    return result;
  });
}

Napi::Value SetBackend(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    if (info.Length() < 1 || !info[0].IsString()) fail("backend must be a string");
    std::string error;
    if (!vex::selectBackend(info[0].As<Napi::String>().Utf8Value(), &error)) fail(error, "E_CONFIG");
    return Napi::String::New(info.Env(), vex::activeTable()->name);
  });
}

// The pairwise call is the hottest and smallest: plain N-API with no wrapper objects, so its fixed cost
// per call is only reading two typed arrays. Every check of the other entry points is still made.
napi_value Pairwise(napi_env env, napi_callback_info info) {
  size_t argc = 4;
  napi_value args[4];
  if (napi_get_cb_info(env, info, &argc, args, nullptr, nullptr) != napi_ok || argc < 3) {
    napi_throw_type_error(env, "E_INVALID", "pairwise takes (metric, a, b[, scale])");
    return nullptr;
  }
  double metricValue = -1;
  if (napi_get_value_double(env, args[0], &metricValue) != napi_ok || !(metricValue >= 0 && metricValue <= vex::kHamming) ||
      metricValue != static_cast<double>(static_cast<int>(metricValue))) {
    napi_throw_type_error(env, "E_INVALID", "metric must be 0 (l2), 1 (dot), 2 (cosine), 3 (manhattan) or 4 (hamming)");
    return nullptr;
  }
  const int metric = static_cast<int>(metricValue);
  void* data[2];
  size_t length[2];
  napi_typedarray_type types[2];
  for (int i = 0; i < 2; i++) {
    napi_value buffer;
    size_t byteOffset;
    // Fails with napi_invalid_arg (and no pending exception) for anything but a typed array.
    if (napi_get_typedarray_info(env, args[i + 1], &types[i], &length[i], &data[i], &buffer, &byteOffset) != napi_ok) {
      napi_throw_type_error(env, "E_INVALID", "a and b must be typed arrays");
      return nullptr;
    }
  }
  vex::Storage storage = vex::kF32;
  if (types[0] != inputType(static_cast<Metric>(metric)) || !storageOf(static_cast<Metric>(metric), types[1], &storage)) {
    napi_throw_type_error(env, "E_INVALID",
                          metric == vex::kHamming ? "a and b must be Uint8Arrays"
                                                  : "a must be a Float32Array and b a Float32Array, or a Uint16Array (f16) "
                                                    "or Int8Array (i8) for l2, dot and cosine");
    return nullptr;
  }
  double scale = 1.0;
  if (argc > 3) {
    if (napi_get_value_double(env, args[3], &scale) != napi_ok || !std::isfinite(scale) || scale <= 0 ||
        !std::isfinite(static_cast<float>(scale))) {
      napi_throw_type_error(env, "E_INVALID", "scale must be a finite number > 0");
      return nullptr;
    }
  }
  if (length[0] != length[1]) {
    napi_throw_range_error(env, "E_DIM_MISMATCH", "a and b differ in length");
    return nullptr;
  }
  if (length[0] == 0) {
    napi_throw_range_error(env, "E_INVALID", "vectors must not be empty");
    return nullptr;
  }
  float distance = vex::pairDistance(vex::activeTable(), static_cast<Metric>(metric), storage, static_cast<float>(scale),
                                     data[0], data[1], length[0]);
  napi_value result;
  napi_create_double(env, static_cast<double>(distance), &result);
  return result;
}

Napi::Value Distances(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    vex::ScanJob job = scanHead(info, nullptr);
    distancesTail(info, &job, nullptr);
    vex::runScan(job, 1);
    return info.Env().Undefined();
  });
}

Napi::Value TopK(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    vex::ScanJob job = scanHead(info, nullptr);
    topKTail(info, &job, nullptr);
    return Napi::Number::New(info.Env(), static_cast<double>(vex::runScan(job, 1)));
  });
}

Napi::Value DistancesAsync(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    std::vector<Napi::ObjectReference> keep;
    vex::ScanJob job = scanHead(info, &keep);
    distancesTail(info, &job, &keep);
    unsigned threads = threadsArg(info, 9);
    auto* worker = new ScanWorker(info.Env(), job, threads, std::move(keep));
    Napi::Promise promise = worker->Promise();
    worker->Queue();
    return promise;
  });
}

Napi::Value TopKAsync(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    std::vector<Napi::ObjectReference> keep;
    vex::ScanJob job = scanHead(info, &keep);
    topKTail(info, &job, &keep);
    unsigned threads = threadsArg(info, 12);
    auto* worker = new ScanWorker(info.Env(), job, threads, std::move(keep));
    Napi::Promise promise = worker->Promise();
    worker->Queue();
    return promise;
  });
}

Napi::Value MeasureRoofline(const Napi::CallbackInfo& info) {
  return guarded(info, [&]() -> Napi::Value {
    if (info.Length() < 1 || !info[0].IsString()) fail("backend must be a string");
    std::string error;
    const vex::KernelTable* table = vex::tableFor(info[0].As<Napi::String>().Utf8Value(), &error);
    if (table == nullptr) fail(error, "E_CONFIG");
    size_t ramBytes = integerArg(info, 1, "ramBytes", 0);
    auto* worker = new RooflineWorker(info.Env(), table, ramBytes);
    Napi::Promise promise = worker->Promise();
    worker->Queue();
    return promise;
  });
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("capabilities", Napi::Function::New(env, Capabilities, "capabilities"));
  exports.Set("setBackend", Napi::Function::New(env, SetBackend, "setBackend"));
  napi_value pairwise;
  napi_create_function(env, "pairwise", NAPI_AUTO_LENGTH, Pairwise, nullptr, &pairwise);
  exports.Set("pairwise", Napi::Value(env, pairwise));
  exports.Set("distances", Napi::Function::New(env, Distances, "distances"));
  exports.Set("topK", Napi::Function::New(env, TopK, "topK"));
  exports.Set("distancesAsync", Napi::Function::New(env, DistancesAsync, "distancesAsync"));
  exports.Set("topKAsync", Napi::Function::New(env, TopKAsync, "topKAsync"));
  exports.Set("roofline", Napi::Function::New(env, MeasureRoofline, "roofline"));
  return exports;
}

}  // namespace

NODE_API_MODULE(vexfs_kernels, Init)
