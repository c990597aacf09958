"""Under /api/, an error answered outside the API's own handlers (an unknown route, a method
the route does not take, a server error turned into the site's page) is JSON too, never HTML."""
from django.http import JsonResponse

MESSAGES = {
    404: "No such API route. The routes are listed at /api/v1/docs.",
    405: "This route does not take that method: the API only reads (GET).",
    500: "Something went wrong on our side; it has been logged. Try again later.",
}


class ApiJsonErrorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (request.path.startswith("/api/") and response.status_code >= 400
                and not response.get("Content-Type", "").startswith("application/json")):
            status = response.status_code
            json = JsonResponse({"message": MESSAGES.get(status, response.reason_phrase),
                                 "errors": []}, status=status)
            for header in ("Allow", "Retry-After"):
                if header in response:
                    json[header] = response[header]
            return json
        return response
