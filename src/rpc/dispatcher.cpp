#include "dispatcher.h"

#include <exception>
#include <mutex>
#include <utility>
#include <vector>

#include "formica/base/log.h"

namespace formica::rpc {
namespace {

Json response_with_result(const Json& id, Json result) {
  Json r = Json::object();
  r["jsonrpc"] = "2.0";
  r["id"] = id;
  r["result"] = std::move(result);
  return r;
}

Json response_with_error(const Json& id, Json error) {
  Json r = Json::object();
  r["jsonrpc"] = "2.0";
  r["id"] = id;
  r["error"] = std::move(error);
  return r;
}

Json invalid_request(std::string_view why) {
  return make_error_object(kInvalidRequest, why, ErrorCode::kInvalidArgument);
}

void complete(const std::function<void(std::optional<Json>)>& done, const Json& id, bool notification,
              Result<Json> result) {
  if (notification) {
    done(std::nullopt);
  } else if (result.ok()) {
    done(response_with_result(id, std::move(result).value()));
  } else {
    done(response_with_error(id, error_object(result.error())));
  }
}

bool valid_id(const Json& id) { return id.is_string() || id.is_number() || id.is_null(); }

std::string dump(const Json& j) {
  // Replace invalid UTF-8 rather than throw: handler results are not trusted to be valid.
  return j.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace

Dispatcher::Dispatcher(std::shared_ptr<Methods> methods, WorkerPool& pool, std::size_t max_batch,
                       std::size_t max_body_bytes)
    : methods_(std::move(methods)), pool_(pool), max_batch_(max_batch), max_body_bytes_(max_body_bytes) {}

std::string Dispatcher::error_response_text(const Json& error) {
  return dump(response_with_error(nullptr, error));
}

void Dispatcher::dispatch(std::string_view body, const Builtin* builtin, Done done) {
  codec::Limits limits;
  limits.max_input = max_body_bytes_;
  limits.max_length = max_body_bytes_;
  limits.max_count = max_body_bytes_;
  Result<Json> parsed = codec::parse_json(body, limits);
  if (!parsed.ok()) {
    bad_requests_.fetch_add(1);
    const ErrorCode code =
        parsed.code() == ErrorCode::kTooLarge ? ErrorCode::kTooLarge : ErrorCode::kMalformed;
    done(error_response_text(make_error_object(kParseError, "parse error: " + parsed.error().message, code)));
    return;
  }
  Json& request = parsed.value();
  if (!request.is_array()) {
    dispatch_one(request, builtin, [done = std::move(done)](std::optional<Json> response) {
      done(response ? dump(*response) : std::string());
    });
    return;
  }
  if (request.empty()) {
    bad_requests_.fetch_add(1);
    done(error_response_text(invalid_request("empty batch")));
    return;
  }
  if (request.size() > max_batch_) {
    bad_requests_.fetch_add(1);
    done(error_response_text(make_error_object(
        kInvalidRequest,
        "batch of " + std::to_string(request.size()) + " requests exceeds " + std::to_string(max_batch_),
        ErrorCode::kTooLarge)));
    return;
  }

  // Gathers the element responses; the last element to finish sends the batch response.
  struct Batch {
    std::mutex mu;
    std::vector<std::optional<Json>> slots;
    std::size_t remaining = 0;
    Done done;
  };
  auto batch = std::make_shared<Batch>();
  batch->slots.resize(request.size());
  batch->remaining = request.size();
  batch->done = std::move(done);
  for (std::size_t i = 0; i < request.size(); ++i) {
    dispatch_one(request[i], builtin, [batch, i](std::optional<Json> response) {
      Done finish;
      std::vector<std::optional<Json>> slots;
      {
        std::lock_guard lock(batch->mu);
        batch->slots[i] = std::move(response);
        if (--batch->remaining != 0) return;
        finish = std::move(batch->done);
        slots.swap(batch->slots);
      }
      Json out = Json::array();
      for (auto& s : slots) {
        if (s) out.push_back(std::move(*s));
      }
      finish(out.empty() ? std::string() : dump(out));  // only notifications: nothing to send
    });
  }
}

void Dispatcher::dispatch_one(const Json& request, const Builtin* builtin, ElementDone done) {
  if (!request.is_object()) {
    bad_requests_.fetch_add(1);
    done(response_with_error(nullptr, invalid_request("a request must be a JSON object")));
    return;
  }
  const auto id_it = request.find("id");
  const bool notification = id_it == request.end();
  Json id = nullptr;
  if (!notification) {
    if (!valid_id(*id_it)) {
      bad_requests_.fetch_add(1);
      done(response_with_error(nullptr, invalid_request("\"id\" must be a string, a number or null")));
      return;
    }
    id = *id_it;
  }
  const auto version = request.find("jsonrpc");
  if (version == request.end() || !version->is_string() || version->get_ref<const std::string&>() != "2.0") {
    bad_requests_.fetch_add(1);
    done(response_with_error(id, invalid_request("\"jsonrpc\" must be \"2.0\"")));
    return;
  }
  const auto method_it = request.find("method");
  if (method_it == request.end() || !method_it->is_string()) {
    bad_requests_.fetch_add(1);
    done(response_with_error(id, invalid_request("\"method\" must be a string")));
    return;
  }
  const std::string& method = method_it->get_ref<const std::string&>();
  Json params = nullptr;
  if (auto p = request.find("params"); p != request.end()) {
    if (!p->is_object() && !p->is_array()) {
      bad_requests_.fetch_add(1);
      done(response_with_error(id, invalid_request("\"params\" must be an object or an array")));
      return;
    }
    params = *p;
  }
  requests_.fetch_add(1);

  if (builtin != nullptr && *builtin) {
    Result<Json> out = make_error(ErrorCode::kInternal, "built-in method gave no result");
    if ((*builtin)(method, params, out)) {
      complete(done, id, notification, std::move(out));
      return;
    }
  }
  Methods::Entry entry = methods_->find(method);
  if (!entry.sync && !entry.async) {
    if (notification) {
      done(std::nullopt);
      return;
    }
    std::string why = "method not found: " + method;
    if (method == "subscribe" || method == "unsubscribe") why += " (only over WebSocket, GET /ws)";
    done(response_with_error(id, make_error_object(kMethodNotFound, why, ErrorCode::kUnsupported)));
    return;
  }

  // Completes this element with a handler's result (or nothing, for a notification).
  auto finish = [id = std::move(id), notification, done = std::move(done)](Result<Json> result) {
    complete(done, id, notification, std::move(result));
  };

  auto task = [entry = std::move(entry), params = std::move(params), method,
               finish = std::move(finish)]() mutable {
    if (entry.sync) {
      Result<Json> result = make_error(ErrorCode::kInternal, "internal error");
      try {
        result = entry.sync(params);
      } catch (const std::exception& e) {
        base::log::error("rpc: method {} threw: {}", method, e.what());
        result = make_error(ErrorCode::kInternal, "internal error");
      } catch (...) {
        base::log::error("rpc: method {} threw", method);
        result = make_error(ErrorCode::kInternal, "internal error");
      }
      finish(std::move(result));
      return;
    }
    Reply reply(std::move(finish));
    try {
      entry.async(params, reply);
    } catch (const std::exception& e) {
      base::log::error("rpc: method {} threw: {}", method, e.what());
      reply(make_error(ErrorCode::kInternal, "internal error"));
    } catch (...) {
      base::log::error("rpc: method {} threw", method);
      reply(make_error(ErrorCode::kInternal, "internal error"));
    }
  };
  // After stop() the pool refuses tasks; the caller is being torn down and drops the answer.
  (void)pool_.submit(std::move(task));
}

}  // namespace formica::rpc
