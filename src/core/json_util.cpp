#include "core/json_util.h"

#include <Poco/JSON/JSONException.h>
#include <Poco/JSON/ParseHandler.h>
#include <Poco/JSON/Parser.h>

#include <fstream>
#include <sstream>

namespace carescan::core {

Poco::JSON::Object::Ptr parse_json_object(const std::string& text, const std::string& what) {
  try {
    Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(/*preserveObjectOrder=*/true));
    auto result = parser.parse(text);
    auto obj = result.extract<Poco::JSON::Object::Ptr>();
    if (obj.isNull()) throw DataError(what + ": top level is not a JSON object");
    return obj;
  } catch (const Poco::BadCastException&) {
    throw DataError(what + ": top level is not a JSON object");
  } catch (const Poco::Exception& e) {
    throw DataError(what + ": not valid JSON: " + e.displayText());
  }
}

Poco::JSON::Object::Ptr read_json_object(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw DataError(file.string() + ": cannot be opened");
  std::ostringstream buf;
  buf << in.rdbuf();
  return parse_json_object(buf.str(), file.string());
}

std::string require_string(const Poco::JSON::Object::Ptr& obj, const std::string& key,
                           const std::string& where) {
  if (!obj->has(key)) throw DataError(where + ": missing \"" + key + "\"");
  auto v = obj->get(key);
  if (!v.isString()) throw DataError(where + ": \"" + key + "\" must be a string");
  return v.extract<std::string>();
}

double require_number(const Poco::JSON::Object::Ptr& obj, const std::string& key,
                      const std::string& where) {
  if (!obj->has(key)) throw DataError(where + ": missing \"" + key + "\"");
  auto v = obj->get(key);
  if (!v.isNumeric()) throw DataError(where + ": \"" + key + "\" must be a number");
  return v.convert<double>();
}

Poco::JSON::Array::Ptr require_array(const Poco::JSON::Object::Ptr& obj, const std::string& key,
                                     const std::string& where) {
  auto arr = obj->has(key) ? obj->getArray(key) : nullptr;
  if (arr.isNull()) throw DataError(where + ": \"" + key + "\" must be an array");
  return arr;
}

Poco::JSON::Object::Ptr require_object(const Poco::JSON::Object::Ptr& obj, const std::string& key,
                                       const std::string& where) {
  auto child = obj->has(key) ? obj->getObject(key) : nullptr;
  if (child.isNull()) throw DataError(where + ": \"" + key + "\" must be an object");
  return child;
}

double number_at(const Poco::JSON::Array::Ptr& arr, unsigned index, const std::string& where) {
  if (index >= arr->size() || !arr->get(index).isNumeric()) {
    throw DataError(where + ": element " + std::to_string(index) + " must be a number");
  }
  return arr->get(index).convert<double>();
}

std::string to_json(const Poco::JSON::Object::Ptr& obj, unsigned indent) {
  std::ostringstream out;
  obj->stringify(out, indent);
  return out.str();
}

}  // namespace carescan::core
