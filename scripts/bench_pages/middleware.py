import time

from django.db import connection


class QueryTiming:
    """X-Bench-Queries and X-Bench-SQL-ms: how many queries a request made and how long
    the database took with them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        spent = [0, 0.0]

        def timed(execute, sql, params, many, context):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                spent[0] += 1
                spent[1] += time.perf_counter() - started

        with connection.execute_wrapper(timed):
            response = self.get_response(request)
        response["X-Bench-Queries"] = str(spent[0])
        response["X-Bench-SQL-ms"] = f"{spent[1] * 1000:.2f}"
        return response
