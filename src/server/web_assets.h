// The web app's files (web/dist at build time), embedded in the binary by
// cmake/EmbedWebAssets.cmake so that `lockstep serve` needs nothing else.
#ifndef LOCKSTEP_SRC_SERVER_WEB_ASSETS_H_
#define LOCKSTEP_SRC_SERVER_WEB_ASSETS_H_

#include <string_view>
#include <vector>

namespace lockstep::internal {

struct WebAsset {
  std::string_view path;          // "/index.html"
  std::string_view content_type;  // "text/html; charset=utf-8"
  std::string_view bytes;
};

const std::vector<WebAsset>& WebAssets();

}  // namespace lockstep::internal

#endif  // LOCKSTEP_SRC_SERVER_WEB_ASSETS_H_
