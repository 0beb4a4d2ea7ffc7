// Renders /api/v1/openapi.json with the vendored Swagger UI (a file, so the CSP needs no inline script).
(function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.getAttribute("data-spec-url"),
    domNode: root,
    deepLinking: true,
    withCredentials: false,
    persistAuthorization: false,
    presets: [SwaggerUIBundle.presets.apis],
  });
})();
