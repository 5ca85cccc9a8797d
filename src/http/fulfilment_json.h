// DESK-5: how a request's tasks are written — for staff in full, for the requester's side what
// tells them where their request stands (who works it and staff's notes stay with staff).
#pragma once

#include <vector>

#include "http/json_body.h"
#include "http/message.h"
#include "storage/fulfilment.h"

namespace tandem::http {

Json task_json(const storage::RequestTask& task, const Request& r);
Json tasks_json(const std::vector<storage::RequestTask>& tasks, const Request& r);

}  // namespace tandem::http
